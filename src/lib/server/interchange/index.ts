/** The CSV interchange of import-format.md and the KPI rows as CSV/JSON (kpi.md). */
export {
	DEFAULT_TIME_ZONE,
	importStationFiles,
	type ImportFiles,
	type ImportResult,
	type ImportSummary,
	type ImportTarget
} from './import';
export { exportStationFiles, type StationExport } from './export';
export { FolderError, readImportFolder, writeExportFolder } from './folder';
export { INTERCHANGE_FILE_NAMES, INTERCHANGE_FILES, type InterchangeFile } from './format';
export { scorecardToCsv, scorecardToJson, scorecardToObjects } from './scorecard-output';
export { parseCsv, toCsv } from './csv';
export {
	MAX_LISTED_PROBLEMS,
	renderProblem,
	renderProblemReport,
	terminalLocale,
	type ImportProblem,
	type ProblemReport
} from './problems';
export { IMPORT_LIMITS } from './table';
