/**
 * The remembered technician keeps what the station told the phone with the session (issue 14:
 * whether positions are recorded, the rework window), so an offline start warns and asks alike.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	lastIdentity,
	rememberIdentity,
	resolveIdentity,
	type TechnicianIdentity
} from './identity';

function memoryStorage(): Storage {
	const items = new Map<string, string>();
	return {
		get length() {
			return items.size;
		},
		clear: () => items.clear(),
		getItem: (key) => items.get(key) ?? null,
		key: (index) => [...items.keys()][index] ?? null,
		removeItem: (key) => void items.delete(key),
		setItem: (key, value) => void items.set(key, value)
	};
}

const lina: TechnicianIdentity = {
	id: randomUUID(),
	login: 'lina',
	name: '李娜',
	role: 'technician',
	stationCode: 'DEMO',
	stationName: '示范服务站',
	timeZone: 'Asia/Shanghai',
	recordPositions: true,
	reworkWindowDays: 7
};

describe("the remembered technician's station settings", () => {
	it('are kept for an offline start', async () => {
		const storage = memoryStorage();
		rememberIdentity(lina, storage);
		expect(lastIdentity(storage)).toEqual(lina);
		const offline = await resolveIdentity(
			null,
			() => Promise.reject(new Error('offline')),
			storage
		);
		expect(offline).toEqual({ kind: 'known', identity: lina });
	});

	it("follow the session's answer, which the pages' data does not repeat", async () => {
		const storage = memoryStorage();
		rememberIdentity(lina, storage);
		// The station widened its window; the next load's session answer is remembered whole
		// (client/session.ts), then the page's user (no window) is resolved against it.
		rememberIdentity({ ...lina, reworkWindowDays: 14 }, storage);
		const { id: _id, reworkWindowDays: _window, ...pageUser } = lina;
		const resolved = await resolveIdentity(
			pageUser,
			() => Promise.reject(new Error('not asked: the page names the remembered person')),
			storage
		);
		expect(resolved).toEqual({ kind: 'known', identity: { ...lina, reworkWindowDays: 14 } });
		expect(lastIdentity(storage)?.reworkWindowDays).toBe(14);
	});
});
