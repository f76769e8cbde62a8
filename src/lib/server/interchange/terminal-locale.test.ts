import { describe, expect, it } from 'vitest';
import { terminalLocale } from './terminal-locale.js';

describe('terminalLocale', () => {
	it('speaks Chinese for any zh locale, English otherwise', () => {
		for (const lang of ['zh_CN.UTF-8', 'zh_TW', 'zh', 'ZH_cn.gb18030', 'zh@pinyin']) {
			expect(terminalLocale({ LANG: lang })).toBe('zh-CN');
		}
		for (const lang of ['en_US.UTF-8', 'C', 'C.UTF-8', 'POSIX', '', 'zhx_YY']) {
			expect(terminalLocale({ LANG: lang })).toBe('en');
		}
		expect(terminalLocale({})).toBe('en');
	});

	it('takes LC_ALL over LC_MESSAGES over LANG', () => {
		expect(terminalLocale({ LC_ALL: 'en_US', LC_MESSAGES: 'zh_CN', LANG: 'zh_CN' })).toBe('en');
		expect(terminalLocale({ LC_MESSAGES: 'zh_CN', LANG: 'en_US' })).toBe('zh-CN');
		expect(terminalLocale({ LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN' })).toBe('zh-CN');
	});
});
