/**
 * What `npm start` (prepare-db.ts) and `npm run seed` print about accounts: the demo's
 * sign-ins, and how to create the first administrator of a real installation.
 */
import { and, count, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../src/lib/server/db/index';
import { stations, users } from '../src/lib/server/db/schema';
import { DEMO_ACCOUNTS, DEMO_STATION } from '../src/lib/server/demo/index';

/** The passwords just made for the demo: shown this once, the database keeps only hashes. */
export function printDemoPasswords(passwords: ReadonlyMap<string, string>): void {
	console.log(`\nDemo accounts (station ${DEMO_STATION.code}). Note the passwords now: they are`);
	console.log('shown only this once (`npm run seed -- --reset` rebuilds the demo with new ones).');
	for (const account of DEMO_ACCOUNTS) {
		const password = passwords.get(account.login) ?? '(none)';
		console.log(
			`  ${account.role.padEnd(12)} ${account.login.padEnd(12)} ${password.padEnd(16)} ${account.name}`
		);
	}
	console.log('');
}

/** On later starts: who the demo accounts are, and how to get a password back. */
export async function printDemoLogins(db: Database): Promise<void> {
	const [demo] = await db
		.select({ id: stations.id })
		.from(stations)
		.where(eq(stations.code, DEMO_STATION.code));
	if (!demo) return;
	console.log(
		`\nDemo accounts (station ${DEMO_STATION.code}); their passwords were shown when the`
	);
	console.log(
		'demo was created. New ones: `npm run seed -- --reset` (rebuilds the demo), or for one account'
	);
	console.log(
		`\`npm run user -- passwd --station ${DEMO_STATION.code} --login LOGIN --password NEW\`.`
	);
	for (const account of DEMO_ACCOUNTS) {
		console.log(`  ${account.role.padEnd(12)} ${account.login.padEnd(12)} ${account.name}`);
	}
	console.log('');
}

/** Until a system administrator exists, says exactly how to create the first one. */
export async function printFirstAdministratorHelp(db: Database): Promise<void> {
	const [row] = await db
		.select({ admins: count() })
		.from(users)
		.where(
			and(eq(users.role, 'system_admin'), eq(users.active, true), isNotNull(users.passwordHash))
		);
	if (row.admins > 0) return;
	console.log(
		[
			'',
			'No system administrator exists yet. Create the first one (and its station, if new) with:',
			'',
			'  npm run user -- add --station HQ --station-name "总部" --time-zone Asia/Shanghai \\',
			'    --login root --name "系统管理员" --role system_admin --password "A LONG PASSWORD OF YOUR OWN"',
			'',
			'A system administrator is created only this way, never from a web page. It manages every',
			'station and its administrators; `npm run user -- --help` lists the other commands.',
			''
		].join('\n')
	);
}
