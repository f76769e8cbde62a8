/**
 * Evidence from the site (issue 14): the kinds of file a job carries, the image types the
 * server accepts, their size limits, the pieces an upload is sent in, and how a step's
 * position was (or was not) taken. Constants only: the phone, the server and the schema read them.
 */

/**
 * What a photo on a job shows, by moment. The customer's signature is not a file: it is vector
 * strokes carried by the completion (lib/shared/signature.ts).
 */
export const JOB_FILE_KINDS = ['before', 'after', 'part', 'other'] as const;
export type JobFileKind = (typeof JOB_FILE_KINDS)[number];

/** The only types stored; the server sniffs the bytes and refuses anything else. */
export const JOB_FILE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type JobFileType = (typeof JOB_FILE_TYPES)[number];

/** A compressed photo is about 200 KB; 5 MiB leaves room for a raw pick from the gallery. */
export const JOB_FILE_MAX_BYTES = 5 * 1024 * 1024;
/** A thumbnail is sent whole with the file's description. */
export const JOB_FILE_THUMBNAIL_MAX_BYTES = 64 * 1024;
/** Uploads go in pieces of at most this many bytes, so a dropped connection loses one piece. */
export const JOB_FILE_CHUNK_BYTES = 256 * 1024;
/** Files per job: enough for any visit, few enough that a hostile client cannot fill the disk. */
export const JOB_FILES_PER_JOB = 40;

/**
 * Where a step happened: `recorded` with a position, or why there is none. No position is not
 * an error: `denied` (the technician refused permission), `unavailable` (no fix in time, no
 * sensor). A step recorded while the station does not ask for positions keeps none (null).
 */
export const POSITION_STATES = ['recorded', 'denied', 'unavailable'] as const;
export type PositionState = (typeof POSITION_STATES)[number];
