#!/usr/bin/env node
/**
 * Serves the production build (build/handler.js) with Node's http server, adding what
 * adapter-node's own server lacks (docs/deploy.md):
 *
 * - gzip or brotli for every compressible answer (pages, JSON, scripts, styles) as the
 *   client's Accept-Encoding allows: adapter-node's `precompress` covers only the static files,
 *   and a supervisor page is ~240 KB of HTML.
 * - the headers that hold for every answer, static files included: no framing, no MIME
 *   sniffing, a strict referrer policy, HSTS when ORIGIN is https. The Content-Security-Policy
 *   comes from SvelteKit (kit.csp); Cache-Control, host checks and body limits from the hooks
 *   (src/lib/server/http/), which know the route and the session.
 * - adapter-node's own body limit switched off (BODY_SIZE_LIMIT=Infinity for the adapter):
 *   the hooks bound each route on its own (BODY_SIZE_LIMIT is the import upload's limit) and
 *   answer in the user's language.
 *
 * `npm start` builds, migrates and then imports this file; run on its own it expects a build.
 * Environment: PORT (3000), HOST (0.0.0.0), ORIGIN, ALLOWED_HOSTS, ADDRESS_HEADER/XFF_DEPTH,
 * PROTOCOL_HEADER, BODY_SIZE_LIMIT, DATABASE_URL or PGLITE_DIR.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import compression from 'compression';
import { compressionOptions } from './http-compression.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

process.env.NODE_ENV = 'production';
// Read by the hooks (src/lib/server/http/body-limits.ts) as the import upload's limit.
process.env.IMPORT_BODY_SIZE_LIMIT = process.env.BODY_SIZE_LIMIT || '20M';
process.env.BODY_SIZE_LIMIT = 'Infinity';

/**
 * Without ORIGIN, adapter-node takes every request for https, although this server speaks
 * plain http: SvelteKit then refuses each form post as cross-site (sign-in included) and the
 * session cookie is marked Secure, which phones on the station's network drop over http.
 * The protocol is then read from X-Forwarded-Proto (a TLS proxy sets it), else http.
 */
const protocolFromRequest = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (protocolFromRequest) process.env.PROTOCOL_HEADER = 'x-forwarded-proto';

const strictTransport = process.env.ORIGIN?.startsWith('https://')
	? // Two years, the preload list's minimum; subdomains are not this server's to promise.
		'max-age=63072000'
	: null;

const { handler } = await import(pathToFileURL(path.join(root, 'build', 'handler.js')).href);

// Images in /api/files are not compressible types (image/jpeg, image/webp): sent as they are.
const compress = compression(compressionOptions);

/** @type {http.RequestListener} */
function listener(req, res) {
	if (protocolFromRequest) req.headers['x-forwarded-proto'] ||= 'http';
	res.setHeader('X-Frame-Options', 'DENY');
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'same-origin');
	if (strictTransport) res.setHeader('Strict-Transport-Security', strictTransport);
	compress(req, res, () => handler(req, res, () => res.writeHead(404).end()));
}

const server = http.createServer(listener);
// A client that opens a connection and trickles its headers must not hold a socket forever.
server.headersTimeout = 30_000;
server.requestTimeout = 5 * 60_000;

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
server.listen(port, host, () => {
	console.log(`RepairScore: serving on http://localhost:${port}  (Ctrl+C stops it)`);
});

/** SvelteKit's shutdown event closes the database (hooks.server.ts), as adapter-node does. */
function shutdown(signal) {
	server.close(() => {
		process.emit('sveltekit:shutdown', signal);
	});
	server.closeIdleConnections();
	setTimeout(() => server.closeAllConnections(), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
