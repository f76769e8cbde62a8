import { describe, expect, it } from 'vitest';
import { hostName, hostPolicy } from './hosts';

describe('hostName', () => {
	it('drops the port, brackets, case and a trailing dot', () => {
		expect(hostName('Repair.Example.com:8443')).toBe('repair.example.com');
		expect(hostName('[::1]:3000')).toBe('::1');
		expect(hostName('station.local.')).toBe('station.local');
	});
});

describe('hostPolicy', () => {
	it('on a station LAN without configuration: the machine, local names and addresses only', () => {
		const allowed = hostPolicy({}, 'repairbox');
		for (const host of [
			'localhost:3000',
			'127.0.0.1:4173',
			'192.168.1.20',
			'[::1]:3000',
			'repairbox:3000',
			'repairbox.local',
			'anything.local',
			'shop.lan',
			'app.localhost'
		]) {
			expect(allowed(host), host).toBe(true);
		}
		// What a DNS-rebinding page sends: its own public name.
		for (const host of ['evil.example', 'repairbox.evil.example', 'local', '', null]) {
			expect(allowed(host), String(host)).toBe(false);
		}
	});

	it('with ORIGIN: its host name (and addresses, localhost), nothing else', () => {
		const allowed = hostPolicy({ ORIGIN: 'https://repair.example.com' }, 'repairbox');
		expect(allowed('repair.example.com')).toBe(true);
		expect(allowed('REPAIR.example.com:443')).toBe(true);
		expect(allowed('10.0.0.5:3000')).toBe(true);
		expect(allowed('localhost')).toBe(true);
		expect(allowed('repairbox.local')).toBe(false);
		expect(allowed('evil.example')).toBe(false);
	});

	it('with ALLOWED_HOSTS: exactly the list, wildcards for subdomains', () => {
		const allowed = hostPolicy(
			{ ALLOWED_HOSTS: 'repair.example.com, *.stations.example.com', ORIGIN: 'https://x.example' },
			'repairbox'
		);
		expect(allowed('repair.example.com')).toBe(true);
		expect(allowed('north.stations.example.com')).toBe(true);
		expect(allowed('stations.example.com')).toBe(false);
		expect(allowed('x.example')).toBe(false);
		expect(allowed('repairbox')).toBe(false);
		expect(allowed('evilstations.example.com')).toBe(false);
	});
});
