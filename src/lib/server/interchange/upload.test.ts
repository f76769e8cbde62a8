/**
 * The import page's streamed upload: a preview writes nothing, progress lines arrive before
 * the outcome, only supervisors and station administrators import (into their own station),
 * and the body limit holds on its path.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/session-user';
import type { Database, DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { bodyLimits } from '../http/handles';
import { importBodyLimit, SMALL_BODY_LIMIT } from '../http/body-limits';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import {
	IMPORT_UPLOAD_PATH,
	type ImportUploadLine,
	type ImportUploadMode
} from '../../shared/import-upload';
import type { UserRole } from '../../shared/domain';
import { csv, dumpDatabase, workbookBytes } from './testing';
import { importUploadResponse } from './upload';

const HEADER = 'job_no,technician_login,reported_at,status,completed_at,outcome,customer_name';

function form(files: Record<string, string>, mode: ImportUploadMode = 'preview'): FormData {
	const body = new FormData();
	for (const [name, text] of Object.entries(files)) {
		body.append('files', new File([text], name, { type: 'text/csv' }));
	}
	body.append('mode', mode);
	return body;
}

/** The answer's chunks as they arrive, each split into its lines. */
async function chunksOf(response: Response): Promise<ImportUploadLine[][]> {
	const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
	const chunks: ImportUploadLine[][] = [];
	let rest = '';
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		const lines = (rest + value).split('\n');
		rest = lines.pop()!;
		chunks.push(lines.map((line) => JSON.parse(line) as ImportUploadLine));
	}
	expect(rest).toBe('');
	return chunks;
}

for (const engine of testEngines()) {
	describe(`import upload (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let supervisor: SessionUser;
		let people: Record<UserRole, SessionUser>;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const station = await createStation(db, 'UP1');
			supervisor = await createUser(db, station, 'lead', 'supervisor');
			people = {
				supervisor,
				admin: await createUser(db, station, 'boss', 'admin'),
				technician: await createUser(db, station, 'tech', 'technician'),
				dispatcher: await createUser(db, station, 'desk', 'dispatcher'),
				region_manager: await createUser(db, station, 'region', 'region_manager'),
				system_admin: await createUser(db, station, 'root', 'system_admin')
			};
		});
		afterAll(async () => {
			await handle?.close();
		});

		const jobCount = async (jobNo: string) => {
			const [row] = await queryRows<{ count: number }>(
				db,
				sql`SELECT count(*)::int AS count FROM jobs WHERE job_no = ${jobNo}`
			);
			return row.count;
		};
		const goodJobs = (jobNo: string) =>
			csv(HEADER, `${jobNo},tech,2020-01-02 09:00,completed,2020-01-02 15:00,fixed,客户`);

		it('a preview streams progress, then what the import would do, and writes nothing', async () => {
			const before = await dumpDatabase(db);
			const response = await importUploadResponse(
				db,
				supervisor,
				form({ 'jobs.csv': goodJobs('UP-1') }),
				{ mode: 'preview', locale: 'en' }
			);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
			expect(response.headers.get('cache-control')).toContain('no-transform');
			const chunks = await chunksOf(response);
			const lines = chunks.flat();
			const outcome = lines.at(-1)!;
			expect(outcome).toMatchObject({
				kind: 'done',
				summary: {
					dryRun: true,
					jobs: { inserted: 1, updated: 0, unchanged: 0 },
					technicians: { inserted: 0, updated: 0, unchanged: 0 },
					partLines: null,
					followUps: null
				}
			});
			// Every line before the outcome is progress, and it came in chunks of its own: sent
			// while the import ran, not gathered with the outcome at the end.
			const progress = lines.slice(0, -1);
			expect(progress.length).toBeGreaterThan(0);
			expect(progress.every((line) => line.kind === 'progress')).toBe(true);
			expect(chunks[0].every((line) => line.kind === 'progress')).toBe(true);
			expect(progress.map((line) => line.kind === 'progress' && line.phase)).toEqual(
				expect.arrayContaining(['reading', 'checking', 'writing'])
			);
			expect(await dumpDatabase(db)).toEqual(before);
		});

		it('the import of the same files writes what the preview said', async () => {
			const files = { 'jobs.csv': goodJobs('UP-2') };
			const preview = (
				await chunksOf(
					await importUploadResponse(db, supervisor, form(files), { mode: 'preview', locale: 'en' })
				)
			)
				.flat()
				.at(-1);
			expect(await jobCount('UP-2')).toBe(0);
			const done = (
				await chunksOf(
					await importUploadResponse(db, supervisor, form(files, 'import'), {
						mode: 'import',
						locale: 'en'
					})
				)
			)
				.flat()
				.at(-1);
			expect(done).toEqual({
				kind: 'done',
				summary: {
					...(preview as Extract<ImportUploadLine, { kind: 'done' }>).summary,
					dryRun: false
				}
			});
			expect(await jobCount('UP-2')).toBe(1);
		});

		it('problems come as `file:line: column: reason` in the reader’s language, nothing written', async () => {
			const before = await dumpDatabase(db);
			const files = {
				'jobs.csv': csv(
					HEADER,
					'UP-3,tech,2020-01-03 09:00,done,,,',
					'UP-4,nobody,2020-01-03,open,,,'
				)
			};
			for (const [locale, expected] of [
				['en', 'jobs.csv:2: status: "done" is not one of open, in_progress, completed, cancelled'],
				['zh-CN', 'jobs.csv:2: status: “done”不是以下之一：open, in_progress, completed, cancelled']
			] as const) {
				const lines = (
					await chunksOf(
						await importUploadResponse(db, supervisor, form(files, 'import'), {
							mode: 'import',
							locale
						})
					)
				).flat();
				const outcome = lines.at(-1)!;
				expect(outcome.kind).toBe('problems');
				if (outcome.kind !== 'problems') continue;
				expect(outcome.problems).toContain(expected);
				expect(outcome.problems.some((problem) => problem.startsWith('jobs.csv:3: '))).toBe(true);
				expect(outcome.omitted).toBe(0);
			}
			expect(await dumpDatabase(db)).toEqual(before);
		});

		it('refuses every role but supervisor and station administrator, before reading a file', async () => {
			const before = await dumpDatabase(db);
			for (const role of ['technician', 'dispatcher', 'region_manager', 'system_admin'] as const) {
				const response = await importUploadResponse(
					db,
					people[role],
					form({ 'jobs.csv': goodJobs(`UP-${role}`) }, 'import'),
					{ mode: 'import', locale: 'en' }
				);
				expect(response.status, role).toBe(403);
				expect((await response.json()).message).toMatch(/supervisors and station administrators/i);
			}
			expect(await dumpDatabase(db)).toEqual(before);

			const admin = await importUploadResponse(
				db,
				people.admin,
				form({ 'jobs.csv': goodJobs('UP-admin') }, 'import'),
				{ mode: 'import', locale: 'en' }
			);
			expect(admin.status).toBe(200);
			expect((await chunksOf(admin)).flat().at(-1)?.kind).toBe('done');
			expect(await jobCount('UP-admin')).toBe(1);
		});

		it('refuses no files, a file chosen twice and (until its reader is merged) a workbook', async () => {
			const refusal = async (body: FormData) => {
				const response = await importUploadResponse(db, supervisor, body, {
					mode: 'preview',
					locale: 'en'
				});
				expect(response.status).toBe(400);
				return (await chunksOf(response)).flat();
			};
			const empty = new FormData();
			empty.append('files', new File([], ''));
			expect(await refusal(empty)).toEqual([{ kind: 'refused', reason: 'no_files' }]);

			const twice = form({ 'jobs.csv': goodJobs('UP-5') });
			twice.append('files', new File([goodJobs('UP-6')], 'jobs.csv'));
			expect(await refusal(twice)).toEqual([
				{ kind: 'refused', reason: 'duplicate_files', repeated: ['jobs.csv'] }
			]);

			const damaged = form({ 'Station.XLSX': 'PK' });
			expect(await refusal(damaged)).toEqual([
				{
					kind: 'problems',
					problems: [
						expect.stringMatching(/^workbook: is not an \.xlsx workbook, or it is damaged/)
					],
					omitted: 0
				}
			]);
		});

		it('previews a workbook, its problems told at the sheet’s rows', async () => {
			const sheets = (status: string) =>
				workbookBytes({
					jobs: [
						HEADER.split(','),
						['WB-1', 'tech', '2026-03-02 09:00', 'open', null, null, '第一行\n第二行'],
						['WB-2', 'tech', '2026-03-02 10:00', status, null, null, null]
					]
				});
			const body = (bytes: Uint8Array) => {
				const upload = new FormData();
				upload.append('files', new File([bytes as Uint8Array<ArrayBuffer>], 'station.xlsx'));
				upload.append('mode', 'preview');
				return upload;
			};
			const refused = await importUploadResponse(db, supervisor, body(await sheets('done')), {
				mode: 'preview',
				locale: 'en'
			});
			// The multi-line cell moves WB-2 to CSV line 4; the sheet has it on row 3.
			expect((await chunksOf(refused)).flat().at(-1)).toEqual({
				kind: 'problems',
				problems: [
					'jobs.csv:3: status: "done" is not one of open, in_progress, completed, cancelled'
				],
				omitted: 0
			});
			const previewed = await importUploadResponse(db, supervisor, body(await sheets('open')), {
				mode: 'preview',
				locale: 'en'
			});
			const outcome = (await chunksOf(previewed)).flat().at(-1);
			expect(outcome).toMatchObject({
				kind: 'done',
				summary: { dryRun: true, jobs: { inserted: 2 } }
			});
		});
	});
}

describe('the upload’s body limit', () => {
	function request(bytes: number, declared: boolean): Request {
		const chunk = new Uint8Array(1024 * 1024);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= bytes) return controller.close();
				const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
				sent += piece.length;
				controller.enqueue(piece);
			}
		});
		return new Request(`http://127.0.0.1${IMPORT_UPLOAD_PATH}`, {
			method: 'POST',
			headers: {
				'content-type': 'multipart/form-data; boundary=x',
				...(declared ? { 'content-length': String(bytes) } : {})
			},
			body,
			// @ts-expect-error Node's fetch needs it for a stream body; the DOM types lack it.
			duplex: 'half'
		});
	}

	async function answer(role: UserRole, bytes: number, declared: boolean) {
		const event = {
			request: request(bytes, declared),
			url: new URL(`http://127.0.0.1${IMPORT_UPLOAD_PATH}`),
			locals: { user: { role } }
		};
		let read = 0;
		const response = await bodyLimits({
			event: event as unknown as Parameters<typeof bodyLimits>[0]['event'],
			resolve: async (resolved) => {
				// As the endpoint reads its form: to the end, or until the limit cuts the body off.
				const reader = resolved.request.body!.getReader();
				try {
					for (;;) {
						const { done, value } = await reader.read();
						if (done) break;
						read += value.byteLength;
					}
				} catch {
					return new Response('cut off', { status: 400 });
				}
				return new Response('read', { status: 200 });
			}
		});
		return { status: response.status, read };
	}

	it('takes the import’s megabytes from a supervisor or an administrator only', async () => {
		expect(await answer('supervisor', 2 * 1024 * 1024, false)).toEqual({
			status: 200,
			read: 2 * 1024 * 1024
		});
		expect((await answer('admin', 2 * 1024 * 1024, true)).status).toBe(200);
		const technician = await answer('technician', 2 * 1024 * 1024, false);
		expect(technician.status).toBe(413);
		expect(technician.read).toBeLessThanOrEqual(SMALL_BODY_LIMIT);
	});

	it('refuses an upload over the import limit, declared or not', async () => {
		const undeclared = await answer('supervisor', importBodyLimit + 1, false);
		expect(undeclared.status).toBe(413);
		expect(undeclared.read).toBeLessThanOrEqual(importBodyLimit);
		const declared = await answer('supervisor', importBodyLimit + 1, true);
		expect(declared).toEqual({ status: 413, read: 0 });
	});
});
