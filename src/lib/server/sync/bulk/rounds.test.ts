/** How the fast path of sync.push lays a batch out in statements (rounds.ts). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../auth/session-user';
import type { MutationName } from '../../../shared/sync';
import { planRounds, type ValidMutation } from './rounds';

const technician: SessionUser = {
	id: randomUUID(),
	stationId: randomUUID(),
	stationCode: 'S1',
	stationName: 'S1',
	timeZone: 'Asia/Shanghai',
	recordPositions: false,
	completionRequiresSignature: false,
	reworkWindowDays: 30,
	login: 'tech',
	name: 'tech',
	role: 'technician'
};

const MADE = new Date('2026-03-02T01:00:00Z');
let nextId = 1;
function mutation(name: MutationName, args: Record<string, unknown>): ValidMutation {
	return { envelope: { id: nextId++, name, args, madeAt: MADE }, args } as ValidMutation;
}

const create = (id: string) => mutation('job.create', { id, jobNo: id.slice(0, 6) });
const arrive = (jobId: string) => mutation('job.arrive', { jobId, at: MADE });
const complete = (jobId: string, notes?: string) =>
	mutation('job.complete', { jobId, at: MADE, outcome: 'fixed', notes });

/** Each statement as "round kind ids", a creation with the steps folded into it as "1+3+5". */
const layout = (mutations: ValidMutation[], user = technician) =>
	planRounds(mutations, user).map(
		(s) =>
			`${s.round} ${s.name} ${s.mutations
				.map((m) => [m, ...(m.folded ?? [])].map((one) => one.envelope.id).join('+'))
				.join(',')}`
	);

describe('planRounds', () => {
	it('puts one kind of change to many jobs in one statement, in each job’s order', () => {
		nextId = 1;
		const [a, b] = [randomUUID(), randomUUID()];
		const batch = [arrive(a), arrive(b), complete(a), complete(b)];
		expect(layout(batch)).toEqual(['1 job.arrive 1,2', '2 job.complete 3,4']);
	});

	it('never puts a job twice in a round', () => {
		nextId = 1;
		const a = randomUUID();
		const b = randomUUID();
		expect(layout([arrive(a), arrive(a), arrive(b)])).toEqual([
			'1 job.arrive 1,3',
			'2 job.arrive 2'
		]);
		nextId = 1;
		expect(layout([arrive(b), create(a), arrive(a), arrive(b)])).toEqual([
			'1 job.arrive 1',
			'1 job.create 2+3',
			'2 job.arrive 4'
		]);
	});

	it('keeps steps that change different columns apart', () => {
		nextId = 1;
		const [a, b] = [randomUUID(), randomUUID()];
		expect(layout([complete(a, 'note'), complete(b)])).toEqual([
			'1 job.complete 1',
			'1 job.complete 2'
		]);
	});

	it('applies a kind without a bulk applier alone, after all before it and before all after it', () => {
		nextId = 1;
		const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
		const batch = [
			create(a),
			arrive(a),
			mutation('job.cancel', { jobId: b, reason: 'customer cancelled' }),
			create(c),
			arrive(b)
		];
		expect(layout(batch)).toEqual([
			'1 job.create 1+2',
			'2 job.cancel 3',
			'3 job.create 4',
			'3 job.arrive 5'
		]);
	});

	it('folds the row steps of a job created in the batch into its creation', () => {
		nextId = 1;
		const [a, b] = [randomUUID(), randomUUID()];
		const partAdd = (jobId: string) =>
			mutation('part.add', { id: randomUUID(), jobId, partId: randomUUID(), qty: '1' });
		// A day's work: the part line neither waits for nor stops the steps around it.
		const batch = [create(a), arrive(a), partAdd(a), complete(a), create(b), complete(b)];
		expect(layout(batch)).toEqual(['1 job.create 1+2+4,5+6', '2 part.add 3']);
	});

	it('stops folding at a mutation of another kind on the job, or at a category change', () => {
		nextId = 1;
		const [a, b] = [randomUUID(), randomUUID()];
		const batch = [
			create(a),
			complete(a),
			mutation('followUp.add', { id: randomUUID(), jobId: a, visitedAt: MADE }),
			arrive(a),
			create(b),
			mutation('job.update', { jobId: b, fields: { faultCategoryId: randomUUID() } }),
			arrive(b)
		];
		expect(layout(batch)).toEqual([
			'1 job.create 1+2,5',
			'2 followUp.add 3',
			'2 job.update 6',
			'3 job.arrive 4,7'
		]);
	});

	it('applies a signed completion alone, and a completion its station requires signed', () => {
		nextId = 1;
		const [a, b] = [randomUUID(), randomUUID()];
		const signature = { signerName: '王先生', signedAt: MADE, strokes: [[10, 10, 20, 20]] };
		const signed = (jobId: string) =>
			mutation('job.complete', { jobId, at: MADE, outcome: 'fixed', signature });
		const batch = [create(a), complete(a), create(b), signed(b), arrive(a)];
		expect(layout(batch)).toEqual(['1 job.create 1+2+5,3', '2 job.complete 4']);

		nextId = 1;
		const signing = { ...technician, completionRequiresSignature: true };
		expect(layout([create(a), complete(a), arrive(b)], signing)).toEqual([
			'1 job.create 1',
			'2 job.complete 2',
			'3 job.arrive 3'
		]);
		nextId = 1;
		const supervisor = { ...signing, role: 'supervisor' as const };
		expect(layout([create(a), complete(a), arrive(b)], supervisor)).toEqual([
			'1 job.create 1+2',
			'1 job.arrive 3'
		]);
	});
});
