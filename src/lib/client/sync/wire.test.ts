import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { decodeSuperjson, encodeSuperjson } from './wire';

const samples: unknown[] = [
	undefined,
	null,
	'text',
	42,
	new Date('2026-03-01T09:12:00.000Z'),
	{ id: 1, madeAt: new Date(0), args: { arrivedAt: null, notes: undefined } },
	{
		clientId: '0190a8f2-0000-7000-8000-000000000000',
		mutations: [
			{ id: 1, name: 'job.arrive', args: { jobId: 'x', at: new Date(1) }, madeAt: new Date(2) },
			{ id: 2, name: 'job.setTimes', args: { reportedAt: undefined, 'a.b\\c': new Date(3) } }
		]
	},
	[new Date(4), undefined, { deep: [[new Date(5)]] }],
	{ empty: {}, list: [], flag: true, count: 0 }
];

describe('superjson wire format', () => {
	it('encodes what superjson encodes', () => {
		for (const sample of samples) {
			expect(encodeSuperjson(sample)).toEqual(superjson.serialize(sample));
		}
	});

	it('decodes what superjson encodes, and superjson decodes what it encodes', () => {
		for (const sample of samples) {
			const fromServer = JSON.parse(JSON.stringify(superjson.serialize(sample)));
			expect(decodeSuperjson(fromServer)).toEqual(sample);
			const toServer = JSON.parse(JSON.stringify(encodeSuperjson(sample)));
			expect(superjson.deserialize(toServer)).toEqual(sample);
		}
	});

	it('decodes a pull answer with nested dates', () => {
		const answer = {
			cursor: '12',
			changes: {
				jobs: [{ id: 'a', reportedAt: new Date(10), arrivedAt: null, updatedAt: new Date(11) }],
				jobParts: [{ id: 'p', createdAt: new Date(12) }]
			}
		};
		const decoded = decodeSuperjson(JSON.parse(superjson.stringify(answer)));
		expect(decoded).toEqual(answer);
		expect((decoded as typeof answer).changes.jobs[0].reportedAt).toBeInstanceOf(Date);
	});

	it('refuses values it cannot represent the way superjson would', () => {
		expect(() => encodeSuperjson({ tags: new Set(['a']) })).toThrow();
		expect(() => encodeSuperjson(10n)).toThrow();
		expect(() => decodeSuperjson(superjson.serialize({ tags: new Map([['a', 1]]) }))).toThrow();
	});
});
