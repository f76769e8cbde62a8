/**
 * What an image's first bytes say it is. The declared content type is the phone's word; the
 * magic bytes are the file's: a file whose bytes are not the declared type (an HTML page, an
 * SVG with script, a PNG declared as JPEG) is never stored, so serving it with its stored type
 * can never make a browser run it.
 */
import type { JobFileType } from '../../shared/evidence-domain';

/** Bytes the sniffing reads: WebP's signature ends at byte 12. */
export const SNIFF_BYTES = 12;

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
	bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

/** The accepted image type these bytes start with, or null for anything else. */
export function sniffImageType(bytes: Uint8Array): JobFileType | null {
	if (startsWith(bytes, JPEG)) return 'image/jpeg';
	if (startsWith(bytes, PNG)) return 'image/png';
	if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
	return null;
}
