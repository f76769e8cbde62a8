/**
 * npm run export -- <folder> --station <code> [--with-files]
 *
 * Writes the station as the interchange CSV files (import-format.md) into the folder,
 * creating it if needed and replacing files of the same names: UTF-8 with a BOM (so Excel
 * shows Chinese text), timestamps in ISO 8601 with the station's offset. Importing the folder
 * into another station of the same time zone gives the same KPIs; the export ends with the
 * import command that creates such a station. Uses the server's database (DATABASE_URL, else
 * PGLITE_DIR). With --with-files the stored photos and signatures are written too, into
 * <folder>/files/<job_no>/<file id>.<ext> with files/manifest.csv (docs/files.md); the CSV files
 * are the same either way and the import passes over that folder. Exit codes: 0 written,
 * 1 refused (unknown station), 2 bad arguments.
 */
import { openMigratedDatabase } from '../src/lib/server/db/index';
import { optionValue, parseCommandLine, runCli } from '../src/lib/server/interchange/cli';
import { exportStationFiles, writeExportFolder } from '../src/lib/server/interchange/index';
import {
	FILES_FOLDER,
	FILES_MANIFEST,
	writeFilesFolder
} from '../src/lib/server/interchange/files-folder';
import { stationCodeSchema } from '../src/lib/shared/schemas';

const USAGE = 'Usage: npm run export -- <folder> --station <code> [--with-files]';

/** A word a POSIX shell reads back unchanged. */
function shellWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

await runCli(USAGE, async (argv) => {
	const { values, positionals } = parseCommandLine(argv, ['station'], ['<folder>'], ['with-files']);
	const [folder] = positionals;
	const stationCode = optionValue('station', stationCodeSchema, values.station);

	const handle = await openMigratedDatabase();
	try {
		console.error(`Database: ${handle.kind} at ${handle.location}`);
		const exported = await exportStationFiles(handle.db, stationCode);
		if (!exported) throw new Error(`There is no station with code ${stationCode}.`);
		writeExportFolder(folder, exported);
		const { station, counts } = exported;
		console.log(
			`Exported station ${station.code} (${station.name}, ${station.timeZone}) to ${folder}:`
		);
		for (const [file, rows] of Object.entries(counts)) {
			console.log(`  ${file.padEnd(21)} ${rows} row${rows === 1 ? '' : 's'}`);
		}
		if (values['with-files']) {
			const written = await writeFilesFolder(handle.db, folder, station);
			const listed = `${FILES_FOLDER}/${FILES_MANIFEST}`;
			console.log(
				`  ${`${FILES_FOLDER}/`.padEnd(21)} ${written} file${written === 1 ? '' : 's'} (${listed})`
			);
		}
		// The files carry no station settings; a station created by the import gets the default
		// time zone, and with it other local days, unless it is given.
		const reimport = [folder, '--station', station.code, '--station-name', station.name]
			.concat(['--timezone', station.timeZone])
			.map(shellWord)
			.join(' ');
		console.log(
			`To import it as a new station with the same time zone:\n  npm run import -- ${reimport}`
		);
	} finally {
		await handle.close();
	}
	return 0;
});
