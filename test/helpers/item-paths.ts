import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * Generated items and drag-and-drop path expressions over them, for the equivalence tests of the
 * fast path against n8n's evaluation (deterministic: a seed replays a failure).
 */

/** A deterministic generator (mulberry32), so that a failure can be replayed. */
export function random(seed: number) {
	let state = seed;
	const next = () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
	return { next, pick };
}

const ORDINARY_KEYS = [
	'email',
	'a',
	'b',
	'order',
	'lines',
	'sku',
	'first name',
	'a.b',
	'ü',
] as const;
const ODD_KEYS = [
	'0',
	'1',
	'',
	' ',
	'😀',
	'tab\tkey',
	'$',
	'$json',
	'_x',
	'class',
	'length',
	'null',
	"it's",
	'say "hi"',
	'__proto__',
	'constructor',
	'prototype',
	'toString',
	'valueOf',
	'hasOwnProperty',
	'caller',
	'isEmpty',
	'first',
] as const;
const KEYS = [...ORDINARY_KEYS, ...ODD_KEYS];

/** Beyond 2^53: n8n must carry it as the same double. */
export const BIG = Number('12345678901234567890');

export const SCALARS: readonly unknown[] = [
	'',
	'x',
	'ünï',
	'😀',
	'\ud800',
	'={{ $json.a }}',
	'{{ $json.email }}',
	'0',
	0,
	-0,
	1,
	-1.5,
	2 ** 53 + 2,
	BIG,
	1e21,
	5e-324,
	Number.MAX_VALUE,
	NaN,
	Infinity,
	-Infinity,
	true,
	false,
	null,
	undefined,
];

/** A value of the kinds items carry: scalars, nested objects and arrays, and a few odd ones. */
export function generateValue(rnd: ReturnType<typeof random>, depth: number): unknown {
	const roll = rnd.next();
	if (depth >= 3 || roll < 0.55) return rnd.pick(SCALARS);
	if (roll < 0.75) return generateObject(rnd, depth + 1);
	if (roll < 0.92) {
		const length = Math.floor(rnd.next() * 4);
		return Array.from({ length }, () => generateValue(rnd, depth + 1));
	}
	return rnd.pick([
		() => new Date(0),
		() => Object.assign(Object.create(null), { a: 1 }),
		() => JSON.parse('{"__proto__": {"a": 1}, "b": 2}'),
		() => [1, , 3], // eslint-disable-line no-sparse-arrays
		() => ({ nested: { constructor: 1 } }),
		() => ({ toString: 'own' }),
		() => BigInt(10),
		() => () => 1,
	])();
}

function generateObject(rnd: ReturnType<typeof random>, depth: number): IDataObject {
	const object: IDataObject = {};
	const size = 1 + Math.floor(rnd.next() * 5);
	for (let k = 0; k < size; k++) {
		const key = rnd.pick(rnd.next() < 0.75 ? ORDINARY_KEYS : ODD_KEYS);
		// As JSON.parse makes them: an own "__proto__" key, not a new prototype.
		Object.defineProperty(object, key, {
			value: generateValue(rnd, depth),
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return object;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * One path expression, written in any of the ways the fast path recognises. Its keys mostly follow
 * a generated item's own structure (so that paths meet values, nested ones included), sometimes
 * any key (a missing field, a missing parent, an index past the end).
 */
export function generateExpression(
	rnd: ReturnType<typeof random>,
	items: INodeExecutionData[],
): string {
	// Now and then the whole item (`$json`), mostly one to four steps.
	let depth = rnd.next() < 0.05 ? 0 : 1 + Math.floor(rnd.next() * 4);
	let value: unknown = rnd.pick(items).json;
	let steps = '';
	for (let d = 0; d < depth; d++) {
		let key: string = rnd.pick(KEYS);
		const follow = rnd.next() < 0.85;
		if (follow && Array.isArray(value)) key = String(Math.floor(rnd.next() * (value.length + 1)));
		else if (follow && typeof value === 'object' && value !== null && Object.keys(value).length)
			key = rnd.pick(Object.keys(value));
		value = typeof value === 'object' && value !== null ? (value as IDataObject)[key] : undefined;
		// Mostly end where the item's data ends; sometimes read below it (a missing parent).
		if ((typeof value !== 'object' || value === null) && rnd.next() < 0.7) depth = d + 1;
		const form = rnd.next();
		if (/^\d+$/.test(key) && form < 0.5) steps += `[${key}]`;
		else if (IDENTIFIER.test(key) && form < 0.7) steps += `.${key}`;
		else if (!key.includes('"') && form < 0.85) steps += `["${key}"]`;
		else if (!key.includes("'")) steps += `['${key}']`;
		else steps += `["${key.replace(/"/g, '\\"')}"]`;
	}
	const blanks = rnd.pick([
		['', ''],
		[' ', ' '],
		['  ', '\t'],
		['\n', '\n'],
		['\r\n', ' '],
	]);
	return `={{${blanks[0]}$json${steps}${blanks[1]}}}`;
}

/** Everything about a value that could differ: type, -0, NaN, prototype, key order, holes. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (typeof value === 'number') return Object.is(value, -0) ? 'number:-0' : `number:${value}`;
	if (typeof value === 'string') return `string:${JSON.stringify(value)}`;
	if (typeof value !== 'object' || value === null) return `${typeof value}:${String(value)}`;
	const proto = Object.getPrototypeOf(value);
	const kind = proto === null ? 'null-proto' : (proto.constructor?.name ?? '?');
	if (Array.isArray(value)) {
		const elements = Array.from({ length: value.length }, (_, i) =>
			i in value ? describeValue(value[i]) : '<hole>',
		);
		return `${kind}[${elements.join(',')}]`;
	}
	if (value instanceof Date || kind === 'Date') return `Date:${(value as Date).getTime()}`;
	const keys = Reflect.ownKeys(value).map(String);
	return `${kind}{${keys
		.map((key) => `${JSON.stringify(key)}:${describeValue((value as IDataObject)[key])}`)
		.join(',')}}`;
}

/**
 * Items as a workflow carries them: a few shapes, each item one of them with some values changed,
 * some fields missing or of another type.
 */
function variant(rnd: ReturnType<typeof random>, value: unknown, depth: number): unknown {
	if (rnd.next() < 0.15) return generateValue(rnd, depth);
	if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype)
		return value.filter(() => rnd.next() > 0.1).map((element) => variant(rnd, element, depth + 1));
	if (
		typeof value !== 'object' ||
		value === null ||
		Object.getPrototypeOf(value) !== Object.prototype
	)
		return rnd.next() < 0.5 ? rnd.pick(SCALARS) : value;
	const copy: IDataObject = {};
	for (const key of Object.keys(value)) {
		if (rnd.next() < 0.1) continue;
		Object.defineProperty(copy, key, {
			value: variant(rnd, (value as IDataObject)[key], depth + 1),
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return copy;
}

export function generated(seed: number, itemCount: number, expressionCount: number) {
	const rnd = random(seed);
	const shapes = Array.from({ length: 5 }, () => generateObject(rnd, 0));
	const items: INodeExecutionData[] = [];
	while (items.length < itemCount) {
		const json = variant(rnd, rnd.pick(shapes), 0);
		// An item's JSON is an object: n8n itself fails on anything else.
		if (typeof json === 'object' && json !== null && !Array.isArray(json))
			items.push({ json: json as IDataObject });
	}
	const expressions = new Set<string>();
	while (expressions.size < expressionCount) expressions.add(generateExpression(rnd, items));
	return { items, expressions: [...expressions] };
}
