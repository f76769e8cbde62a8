/**
 * The terminal's language for the command line (POSIX order: LC_ALL, LC_MESSAGES, LANG):
 * Chinese when it names zh, else English, the language of an unset or "C" locale.
 *
 * Plain JavaScript so that scripts/run-import.mjs, which runs before any TypeScript loader,
 * speaks the same language as the import it starts.
 *
 * @param {Record<string, string | undefined>} [env]
 * @returns {'zh-CN' | 'en'}
 */
export function terminalLocale(env = process.env) {
	const setting = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
	return /^zh(?:[_.@-]|$)/i.test(setting) ? 'zh-CN' : 'en';
}
