import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy';

const owner = { login: 'zhangwei', name: '张伟' };

describe('password policy', () => {
	it('refuses common and trivial passwords from the maintained list, not a list of our own', () => {
		for (const password of [
			'password123',
			'Password123!',
			'qwertyuiop123',
			'1qaz2wsx3edc',
			'iloveyou123',
			'aaaaaaaaaaaa',
			'abcdefghijk',
			'1234567890',
			'admin12345',
			'repairscore1',
			// The password every install once had, doubled to reach the length.
			'demo1234demo1234'
		]) {
			expect({ password, problem: passwordProblem(password, owner) }).toEqual({
				password,
				problem: { code: 'common' }
			});
		}
	});

	it('refuses a password shorter than the minimum, counting characters as people do', () => {
		expect(passwordProblem('k7m-w4p2', owner)).toEqual({
			code: 'too_short',
			min: PASSWORD_MIN_LENGTH
		});
		// Ten Chinese characters are ten characters, although they take 30 bytes.
		expect(passwordProblem('春眠不觉晓处处闻啼鸟夜', owner)).toBeNull();
		expect(passwordProblem('春眠不觉晓处处闻', owner)).toMatchObject({ code: 'too_short' });
	});

	it('refuses the login or the name inside the password, in any letter case', () => {
		expect(passwordProblem('ZhangWei-2026-rocks', owner)).toEqual({ code: 'like_login' });
		expect(passwordProblem('我是张伟的新密码啊啊', owner)).toEqual({ code: 'like_login' });
	});

	it('accepts long random or passphrase-like passwords', () => {
		for (const password of ['sx4k-p9mw-hb2t', 'plum-Kettle-93-ribbon', 'wang-Tq7v-pz3k']) {
			expect(passwordProblem(password, owner)).toBeNull();
		}
	});
});
