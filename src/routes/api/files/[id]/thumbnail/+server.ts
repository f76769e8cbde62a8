/** GET /api/files/{id}/thumbnail: the thumbnail sent with the file's description. */
import type { RequestHandler } from './$types';
import { serveJobFile } from '../../file-answers.server';

export const GET: RequestHandler = (event) => serveJobFile(event, 'thumbnail');
