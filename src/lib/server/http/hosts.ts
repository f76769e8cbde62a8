/**
 * Which Host names this server answers to. A page on an attacker's domain can re-point that
 * domain's DNS at the station server (DNS rebinding) and then read its answers as same-origin;
 * the browser still sends the attacker's name as Host, so refusing unknown names stops it.
 *
 * - ALLOWED_HOSTS (comma-separated; `*.example.com` matches every subdomain): exactly these.
 * - else ORIGIN's host name.
 * - else, for a station LAN: the machine's own host name (with and without `.local`), and
 *   names only the local network resolves: `localhost`, `*.localhost`, `*.local` (mDNS),
 *   `*.lan`, `*.internal`, `*.home.arpa`.
 * In every case IP addresses (`192.168.1.20`, `[::1]`) and `localhost` are accepted: the
 * browser sends a name, never an address, for a rebinding attack's page, and load balancers
 * and health checks often address the server by its IP.
 */
import { hostname } from 'node:os';
import { isIP } from 'node:net';

const LAN_SUFFIXES = ['.localhost', '.local', '.lan', '.internal', '.home.arpa'];

type HostPolicy = (hostHeader: string | null) => boolean;

/** The name in a Host header: lower case, without the port and an IPv6 address's brackets. */
export function hostName(hostHeader: string): string {
	const host = hostHeader.trim().toLowerCase();
	if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
	return host.replace(/:\d*$/, '').replace(/\.$/, '');
}

function matches(name: string, pattern: string): boolean {
	if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1));
	return name === pattern;
}

export function hostPolicy(
	env: Record<string, string | undefined>,
	machineName: string = hostname()
): HostPolicy {
	let patterns: string[];
	if (env.ALLOWED_HOSTS?.trim()) {
		patterns = env.ALLOWED_HOSTS.split(',')
			.map((entry) => hostName(entry))
			.filter(Boolean);
	} else if (env.ORIGIN) {
		patterns = [new URL(env.ORIGIN).hostname.replace(/^\[|\]$/g, '')];
	} else {
		const machine = machineName.toLowerCase();
		const shortName = machine.split('.')[0];
		patterns = [
			machine,
			shortName,
			`${shortName}.local`,
			...LAN_SUFFIXES.map((suffix) => `*${suffix}`)
		];
	}
	patterns.push('localhost');
	return (hostHeader) => {
		if (!hostHeader) return false;
		const name = hostName(hostHeader);
		if (isIP(name)) return true;
		return patterns.some((pattern) => matches(name, pattern));
	};
}
