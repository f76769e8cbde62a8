/**
 * The phone's rear camera for scanning, and why it could not be opened, in terms the scanner
 * dialog explains to the technician.
 */

export type CameraProblem = 'denied' | 'no_camera' | 'busy' | 'unavailable';

/** The rear camera where there is one (any camera otherwise), video only. */
export async function openRearCamera(): Promise<MediaStream> {
	// Absent outside a secure context (http:// on a station's network other than localhost).
	if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('', 'NotSupportedError');
	return navigator.mediaDevices.getUserMedia({
		video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } },
		audio: false
	});
}

/** What getUserMedia's refusal means for the technician (its DOMException names). */
export function cameraProblem(error: unknown): CameraProblem {
	const name = error instanceof DOMException ? error.name : '';
	switch (name) {
		case 'NotAllowedError':
		case 'SecurityError':
			return 'denied';
		case 'NotFoundError':
		case 'OverconstrainedError':
			return 'no_camera';
		case 'NotReadableError':
		case 'AbortError':
			return 'busy';
		default:
			return 'unavailable';
	}
}

export function stopCamera(stream: MediaStream | null): void {
	for (const track of stream?.getTracks() ?? []) track.stop();
}
