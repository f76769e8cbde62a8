/**
 * The photo queue as the technician's app runs it (loaded on demand: stores/technician-session):
 * over HTTP, started at once, and run again each time a sync has succeeded, since that is
 * when a job made offline reaches the server and its photos may go.
 */
import type { LocalDatabase } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { httpPhotoTransport } from './http-transport';
import { PhotoUploader } from './uploader';

export interface PhotoQueue {
	/** A photo was added: send it when it can go. */
	requestUpload(): void;
	stop(): void;
}

export function startPhotoQueue(db: LocalDatabase, engine: SyncEngine): PhotoQueue {
	const uploader = new PhotoUploader({ db, transport: httpPhotoTransport });
	uploader.start();
	let syncing = false;
	const unsubscribe = engine.subscribe(({ phase }) => {
		if (syncing && phase === 'idle') uploader.requestUpload(0);
		syncing = phase === 'syncing';
	});
	return {
		requestUpload: () => uploader.requestUpload(0),
		stop: () => {
			unsubscribe();
			uploader.stop();
		}
	};
}
