import { describe, expect, it } from 'vitest';
import { localDateTimeIn } from './local-time';

describe('the station’s wall-clock time', () => {
	it('reads the instant in the station’s zone, to the minute', () => {
		const instant = new Date('2026-03-31T16:05:59Z');
		expect(localDateTimeIn('Asia/Shanghai', instant)).toBe('2026-04-01T00:05');
		expect(localDateTimeIn('America/New_York', instant)).toBe('2026-03-31T12:05');
		expect(localDateTimeIn('UTC', new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00');
	});
});
