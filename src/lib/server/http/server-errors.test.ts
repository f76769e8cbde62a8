import { afterEach, describe, expect, it, vi } from 'vitest';
import { logServerError, redactSecrets } from './server-errors';

afterEach(() => vi.restoreAllMocks());

describe('redactSecrets', () => {
	it('blanks passwords, tokens, hashes and connection passwords, keeps ids', () => {
		const token = 'Zq3h0J3lT2x8p0bW1uV7yK4mN6cR9sA2dF5gH8jL1qE';
		const text = redactSecrets(
			`password: 'hunter2', {"sessionToken":"${token}"} params: $argon2id$v=19$m=19456,t=2,p=1$abc$def ` +
				`postgres://app:s3cret@db:5432/rs job 0b7c3f6e-4a1d-4c2e-9f00-5d6e7f8a9b0c ${token}`
		);
		expect(text).not.toMatch(/hunter2|s3cret|argon2id|Zq3h0J3l/);
		expect(text).toContain('0b7c3f6e-4a1d-4c2e-9f00-5d6e7f8a9b0c');
		expect(text).toContain('postgres://app:***@db:5432/rs');
	});
});

describe('logServerError', () => {
	it('logs the detail with an id, and returns the id alone', () => {
		const logged: string[] = [];
		vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
		const error = new Error('Failed query: select * from users where password_hash = $1', {
			cause: Object.assign(new Error('boom'), { code: '42P01' })
		});
		const errorId = logServerError('POST /login', error);
		expect(errorId).toMatch(/^[0-9a-f]{8}$/);
		expect(logged).toHaveLength(1);
		expect(logged[0]).toContain(`RepairScore error ${errorId} (POST /login)`);
		expect(logged[0]).toContain('select * from users');
		expect(logged[0]).toContain('42P01');
		expect(logged[0]).toMatch(/at .*server-errors\.test\.ts/);
	});
});
