/**
 * superjson's wire format (the server's tRPC transformer), for the values the sync protocol
 * carries: JSON plus Date and undefined. `{ json, meta: { values: { "a.b.0": ["Date"] }, v: 1 } }`:
 * each annotated path (keys joined by ".", with "." and "\" escaped by "\") names a value that
 * JSON alone cannot hold. Anything else superjson can annotate (Map, Set, BigInt...) is refused
 * rather than misread. wire.test.ts checks both directions against superjson itself.
 */

type Annotation = 'Date' | 'undefined';
type Tree = [unknown, Record<string, Tree>?] | { [key: string]: Tree };
type SuperJSONResult = { json: unknown; meta?: { values?: Tree; v?: number } };

const escapeKey = (key: string) => key.replace(/\\/g, '\\\\').replace(/\./g, '\\.');

/** superjson.serialize for JSON values, Dates and undefined. */
export function encodeSuperjson(value: unknown): SuperJSONResult {
	const values: Record<string, [Annotation]> = {};
	let root: Annotation | null = null;
	const walk = (v: unknown, path: string[]): unknown => {
		let annotation: Annotation | null = null;
		let json: unknown = v;
		if (v === undefined) {
			annotation = 'undefined';
			json = null;
		} else if (v instanceof Date) {
			annotation = 'Date';
			json = v.toISOString();
		} else if (Array.isArray(v)) {
			json = v.map((item, index) => walk(item, [...path, String(index)]));
		} else if (v !== null && typeof v === 'object') {
			if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
				throw new TypeError(`Cannot send ${Object.prototype.toString.call(v)} to the server`);
			}
			json = Object.fromEntries(
				Object.entries(v).map(([key, item]) => [key, walk(item, [...path, key])])
			);
		} else if (typeof v === 'number' && !Number.isFinite(v)) {
			throw new TypeError(`Cannot send the number ${v} to the server`);
		} else if (
			typeof v !== 'string' &&
			typeof v !== 'number' &&
			typeof v !== 'boolean' &&
			v !== null
		) {
			throw new TypeError(`Cannot send a ${typeof v} to the server`);
		}
		if (annotation) {
			if (path.length === 0) root = annotation;
			else values[path.map(escapeKey).join('.')] = [annotation];
		}
		return json;
	};
	const json = walk(value, []);
	if (root) return { json, meta: { values: [root], v: 1 } };
	if (Object.keys(values).length > 0) return { json, meta: { values, v: 1 } };
	return { json };
}

/** superjson.deserialize for payloads holding JSON values, Dates and undefined. */
export function decodeSuperjson(payload: unknown): unknown {
	const { json, meta } = (payload ?? {}) as SuperJSONResult;
	if (!meta?.values) return json;
	if (meta.v !== 1) throw new Error(`Unsupported superjson version ${meta.v}`);
	let result = json;
	const apply = (annotation: unknown, path: string[]) => {
		let convert: (v: unknown) => unknown;
		if (annotation === 'Date') convert = (v) => new Date(v as string);
		else if (annotation === 'undefined') convert = () => undefined;
		else throw new Error(`Unsupported value in the server's answer: ${JSON.stringify(annotation)}`);
		if (path.length === 0) {
			result = convert(result);
			return;
		}
		let parent = result as Record<string, unknown>;
		for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
		const last = path[path.length - 1];
		parent[last] = convert(parent[last]);
	};
	const walk = (tree: Tree, path: string[]) => {
		if (Array.isArray(tree)) {
			const [annotation, children] = tree;
			if (children)
				for (const [key, child] of Object.entries(children))
					walk(child, [...path, ...parsePath(key)]);
			apply(annotation, path);
			return;
		}
		for (const [key, child] of Object.entries(tree)) walk(child, [...path, ...parsePath(key)]);
	};
	walk(meta.values, []);
	return result;
}

/** "a.b\.c" → ["a", "b.c"] (superjson's escaped paths). */
function parsePath(path: string): string[] {
	const keys: string[] = [];
	let key = '';
	for (let i = 0; i < path.length; i++) {
		const char = path[i];
		if (char === '\\' && (path[i + 1] === '.' || path[i + 1] === '\\')) {
			key += path[++i];
		} else if (char === '.') {
			keys.push(key);
			key = '';
		} else {
			key += char;
		}
	}
	keys.push(key);
	return keys;
}
