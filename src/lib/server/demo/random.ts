/**
 * A small seeded random source for the demo data. Math.random cannot be seeded, and the
 * demo must come out identical for the same seed and "now".
 */
export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** mulberry32: 32 bits of state, fast, and good enough for plausible fake data. */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	}

	/** An integer in [min, max], both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	/** A float in [min, max). */
	between(min: number, max: number): number {
		return min + this.next() * (max - min);
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** One of the items, each as likely as its weight. */
	weighted<T>(entries: readonly (readonly [T, number])[]): T {
		const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
		let point = this.next() * total;
		for (const [item, weight] of entries) {
			point -= weight;
			if (point < 0) return item;
		}
		return entries[entries.length - 1][0];
	}

	/** `count` distinct items in random order (all of them when there are fewer). */
	sample<T>(items: readonly T[], count: number): T[] {
		const pool = [...items];
		for (let i = pool.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[pool[i], pool[j]] = [pool[j], pool[i]];
		}
		return pool.slice(0, count);
	}

	/** Standard normal by Box–Muller. */
	normal(): number {
		const u = 1 - this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
	}

	/** Positive, right-skewed values such as durations: half fall below `median`. */
	logNormal(median: number, sigma: number): number {
		return median * Math.exp(sigma * this.normal());
	}

	/** Knuth's method; fine for the small means of daily job counts. */
	poisson(mean: number): number {
		const limit = Math.exp(-mean);
		let count = 0;
		let product = this.next();
		while (product > limit) {
			count++;
			product *= this.next();
		}
		return count;
	}

	hex(digits: number): string {
		let out = '';
		for (let i = 0; i < digits; i++) out += Math.floor(this.next() * 16).toString(16);
		return out;
	}

	/** A UUID laid out as version 4, its random bits from this source. */
	uuidV4(): string {
		return formatUuid(this.hex(12), '4', this.hex(3), this.variantHex(), this.hex(15));
	}

	/**
	 * A UUID laid out as version 7 (time-ordered, what clients make for jobs), with its
	 * timestamp from `at` and its random bits from this source.
	 */
	uuidV7(at: Date): string {
		const millis = at.getTime().toString(16).padStart(12, '0');
		return formatUuid(millis, '7', this.hex(3), this.variantHex(), this.hex(15));
	}

	private variantHex(): string {
		return this.pick(['8', '9', 'a', 'b']);
	}
}

function formatUuid(
	first12: string,
	version: string,
	next3: string,
	variant: string,
	last15: string
): string {
	return (
		`${first12.slice(0, 8)}-${first12.slice(8, 12)}-${version}${next3}-` +
		`${variant}${last15.slice(0, 3)}-${last15.slice(3)}`
	);
}
