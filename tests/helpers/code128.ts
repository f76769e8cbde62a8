/**
 * Code 128, the symbology of part and serial labels, encoded for the tests' fake camera
 * (barcode-video.ts). Code set B only (ISO/IEC 15417): printable ASCII, which is every part
 * code and serial the tests scan; a start B symbol, one symbol per character, the modulo-103
 * check symbol and the stop pattern, between quiet zones of ten modules.
 */

/**
 * Each symbol's bar and space widths in modules (bar first), by symbol value: six elements of
 * eleven modules, the stop pattern seven of thirteen (its last bar ends the symbol).
 */
const PATTERNS = [
	'212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212',
	'221213', '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221',
	'223211', '221132', '221231', '213212', '223112', '312131', '311222', '321122', '321221',
	'312212', '322112', '322211', '212123', '212321', '232121', '111323', '131123', '131321',
	'112313', '132113', '132311', '211313', '231113', '231311', '112133', '112331', '132131',
	'113123', '113321', '133121', '313121', '211331', '231131', '213113', '213311', '213131',
	'311123', '311321', '331121', '312113', '312311', '332111', '314111', '221411', '431111',
	'111224', '111422', '121124', '121421', '141122', '141221', '112214', '112412', '122114',
	'122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111', '111242',
	'121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
	'214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311',
	'113141', '114131', '311141', '411131', '211412', '211214', '211232', '2331112'
]; // prettier-ignore

const START_B = 104;
const STOP = 106;
/** The standard's minimum quiet zone on either side: ten modules. */
export const QUIET_ZONE_MODULES = 10;

/** Code set B's value of each character: printable ASCII and DEL, space (32) being 0. */
function codeSetBValue(character: string): number {
	const code = character.charCodeAt(0);
	if (character.length !== 1 || code < 32 || code > 127) {
		throw new RangeError(`Code 128 set B cannot encode ${JSON.stringify(character)}.`);
	}
	return code - 32;
}

/** The symbol values of `text` in code set B: start, data, check symbol, stop. */
export function code128Values(text: string): number[] {
	if (text === '') throw new RangeError('Code 128 needs at least one character.');
	const data = [...text].map(codeSetBValue);
	// The start symbol weighs 1, the n-th data symbol n.
	const check = data.reduce((sum, value, index) => sum + value * (index + 1), START_B) % 103;
	return [START_B, ...data, check, STOP];
}

/**
 * `text` as modules from left to right, quiet zones included: true for a bar's module, false
 * for a space's.
 */
export function code128Modules(text: string): boolean[] {
	const modules: boolean[] = Array(QUIET_ZONE_MODULES).fill(false);
	for (const value of code128Values(text)) {
		[...PATTERNS[value]].forEach((width, element) => {
			// Elements alternate bar, space, bar, ...: even ones are bars.
			modules.push(...Array<boolean>(Number(width)).fill(element % 2 === 0));
		});
	}
	modules.push(...Array<boolean>(QUIET_ZONE_MODULES).fill(false));
	return modules;
}
