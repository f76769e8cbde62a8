/**
 * The zip container of an .xlsx workbook, read within bounds before any XML of it is parsed.
 *
 * A zip states each part's unpacked size, and a zip bomb lies about it; so every part the import
 * reads is inflated once here, its output counted against what the part states and the
 * workbook's limit (and its CRC checked), before the spreadsheet library sees it. The library's
 * streaming reader walks the zip's local headers, which need not agree with the central
 * directory checked here; so it is given a zip rebuilt from the checked parts, with sizes in
 * every local header, the parts it needs first (no sheet waits in a temporary file).
 */
import { Readable } from 'node:stream';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';

/** Not a zip this reader takes (damaged, encrypted, ZIP64, an unknown compression). */
export class UnreadableZip extends Error {}

/** The parts unpack to more than the limit. */
export class ZipTooLarge extends Error {}

export interface ZipPart {
	name: string;
	/** 0 stored, 8 deflated. */
	method: number;
	crc: number;
	size: number;
	/** The part's bytes as stored in the zip. */
	data: Uint8Array;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x0001;
const UTF8_NAMES_FLAG = 0x0800;
/** An end-of-directory record is 22 bytes and ends with a comment of at most 65,535. */
const MAX_TRAILER = 22 + 0xffff;

/**
 * The parts whose names `wanted` accepts, each inflated and checked once, in the zip's order.
 * Throws UnreadableZip or ZipTooLarge; the parts not wanted are never inflated.
 */
export async function checkedParts(
	bytes: Uint8Array,
	wanted: (name: string) => boolean,
	maxUnpackedBytes: number
): Promise<ZipPart[]> {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const end = findEndOfDirectory(view);
	const count = view.getUint16(end + 10, true);
	const directorySize = view.getUint32(end + 12, true);
	const directoryStart = view.getUint32(end + 16, true);
	if (count === 0xffff || directoryStart === 0xffffffff || directoryStart + directorySize > end) {
		throw new UnreadableZip('ZIP64 or a damaged central directory');
	}
	const decoder = new TextDecoder('utf-8', { fatal: true });
	const parts: ZipPart[] = [];
	let unpacked = 0;
	let at = directoryStart;
	for (let index = 0; index < count; index += 1) {
		if (at + 46 > end || view.getUint32(at, true) !== DIRECTORY_ENTRY) {
			throw new UnreadableZip('a damaged central directory entry');
		}
		const flags = view.getUint16(at + 8, true);
		const method = view.getUint16(at + 10, true);
		const crc = view.getUint32(at + 16, true);
		const storedSize = view.getUint32(at + 20, true);
		const size = view.getUint32(at + 24, true);
		const nameLength = view.getUint16(at + 28, true);
		const skipped = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
		const localHeader = view.getUint32(at + 42, true);
		const name = readName(decoder, bytes.subarray(at + 46, at + 46 + nameLength));
		at += 46 + nameLength + skipped;
		if (!wanted(name)) continue;
		if (flags & ENCRYPTED_FLAG) throw new UnreadableZip(`${name} is encrypted`);
		if (method !== STORED && method !== DEFLATED) {
			throw new UnreadableZip(`${name} uses compression method ${method}`);
		}
		unpacked += size;
		if (unpacked > maxUnpackedBytes) throw new ZipTooLarge();
		const { start, end: dataEnd } = localData(view, localHeader, storedSize, directoryStart);
		const data = bytes.subarray(start, dataEnd);
		const actual = await inflatedSize(method, data, size);
		if (actual.size !== size || actual.crc !== crc) {
			throw new UnreadableZip(`${name} does not unpack to the size or CRC its entry states`);
		}
		parts.push({ name, method, crc, size, data });
	}
	return parts;
}

/**
 * A zip of the parts in the given order, every size in its local header (no data descriptors),
 * the parts' stored bytes copied as they are.
 */
export function rebuiltZip(parts: readonly ZipPart[]): Uint8Array {
	const encoder = new TextEncoder();
	const names = parts.map((part) => encoder.encode(part.name));
	const localSize = parts.reduce(
		(sum, part, i) => sum + 30 + names[i].length + part.data.length,
		0
	);
	const directorySize = names.reduce((sum, name) => sum + 46 + name.length, 0);
	const out = new Uint8Array(localSize + directorySize + 22);
	const view = new DataView(out.buffer);
	const offsets: number[] = [];
	let at = 0;
	parts.forEach((part, i) => {
		offsets.push(at);
		view.setUint32(at, LOCAL_HEADER, true);
		view.setUint16(at + 4, 20, true);
		view.setUint16(at + 6, UTF8_NAMES_FLAG, true);
		view.setUint16(at + 8, part.method, true);
		view.setUint32(at + 14, part.crc, true);
		view.setUint32(at + 18, part.data.length, true);
		view.setUint32(at + 22, part.size, true);
		view.setUint16(at + 26, names[i].length, true);
		out.set(names[i], at + 30);
		out.set(part.data, at + 30 + names[i].length);
		at += 30 + names[i].length + part.data.length;
	});
	const directoryStart = at;
	parts.forEach((part, i) => {
		view.setUint32(at, DIRECTORY_ENTRY, true);
		view.setUint16(at + 4, 20, true);
		view.setUint16(at + 6, 20, true);
		view.setUint16(at + 8, UTF8_NAMES_FLAG, true);
		view.setUint16(at + 10, part.method, true);
		view.setUint32(at + 16, part.crc, true);
		view.setUint32(at + 20, part.data.length, true);
		view.setUint32(at + 24, part.size, true);
		view.setUint16(at + 28, names[i].length, true);
		view.setUint32(at + 42, offsets[i], true);
		out.set(names[i], at + 46);
		at += 46 + names[i].length;
	});
	view.setUint32(at, END_OF_DIRECTORY, true);
	view.setUint16(at + 8, parts.length, true);
	view.setUint16(at + 10, parts.length, true);
	view.setUint32(at + 12, directorySize, true);
	view.setUint32(at + 16, directoryStart, true);
	return out;
}

/** A part stored as it is (method 0): for a part the import adds itself. */
export function storedPart(name: string, text: string): ZipPart {
	const data = new TextEncoder().encode(text);
	return { name, method: STORED, crc: crc32(data), size: data.length, data };
}

/** A checked part's text (its size is within the limit checkedParts was given). */
export function partText(part: ZipPart): string {
	const bytes = part.method === STORED ? part.data : inflateRawSync(part.data);
	return new TextDecoder().decode(bytes);
}

function findEndOfDirectory(view: DataView): number {
	const last = view.byteLength - 22;
	for (let at = last; at >= 0 && at >= last - MAX_TRAILER; at -= 1) {
		if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
	}
	throw new UnreadableZip('no zip end-of-directory record');
}

function readName(decoder: TextDecoder, bytes: Uint8Array): string {
	try {
		return decoder.decode(bytes);
	} catch {
		// Not UTF-8: a name of an old zip tool's code page, never one of the parts read here.
		return '';
	}
}

/** Where a part's stored bytes are, from its local header. */
function localData(view: DataView, header: number, storedSize: number, limit: number) {
	if (header + 30 > limit || view.getUint32(header, true) !== LOCAL_HEADER) {
		throw new UnreadableZip('a damaged local header');
	}
	const start = header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true);
	const end = start + storedSize;
	if (end > limit) throw new UnreadableZip('a part runs into the central directory');
	return { start, end };
}

/**
 * The size and CRC of a part's unpacked bytes, inflating no further than one chunk past
 * `expected`: a part that unpacks to more is damaged or a bomb, and its output is never kept.
 */
async function inflatedSize(
	method: number,
	data: Uint8Array,
	expected: number
): Promise<{ size: number; crc: number }> {
	if (method === STORED) return { size: data.length, crc: crc32(data) };
	let size = 0;
	let crc = 0;
	try {
		for await (const chunk of Readable.from([data]).pipe(
			createInflateRaw()
		) as AsyncIterable<Buffer>) {
			size += chunk.length;
			if (size > expected) break;
			crc = crc32(chunk, crc);
		}
	} catch {
		throw new UnreadableZip('a part does not inflate');
	}
	return { size, crc };
}
