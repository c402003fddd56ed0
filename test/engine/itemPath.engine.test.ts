import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	HAND_TO_N8N,
	parseItemPath,
	readItemPath,
} from '../../nodes/BrevoEvent/parameters/itemPath';
import {
	runProbeNode,
	startVmExpressionEngine,
	stopVmExpressionEngine,
} from '../helpers/probe-engine';

/**
 * The drag-and-drop fast path against n8n's own evaluation, inside n8n-core's engine: many
 * generated items × many path expressions, each read by getNodeParameter and by the fast path in
 * the same execution context. Wherever the fast path gives a value, it is exactly n8n's (value,
 * type, -0, key order, prototype); wherever n8n throws, the fast path hands the expression back.
 * Run with both of n8n's evaluators: the legacy one (n8n-core's default, used by the other engine
 * tests) and the VM one (`n8n start`'s default in 2.x).
 */

/** A deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
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
const BIG = Number('12345678901234567890');

const SCALARS: readonly unknown[] = [
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
function generateValue(rnd: ReturnType<typeof random>, depth: number): unknown {
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
function generateExpression(rnd: ReturnType<typeof random>, items: INodeExecutionData[]): string {
	let depth = 1 + Math.floor(rnd.next() * 4);
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

/** Expressions the fast path must leave to n8n, whatever the item. */
const NOT_PATHS = [
	'={{ $json.email }} ',
	'=mail: {{ $json.email }}',
	'={{ $json.email }}{{ $json.a }}',
	'={{ $json.email.toUpperCase() }}',
	'={{ $json.a + 1 }}',
	'={{ $json.a || "none" }}',
	'={{ $json?.a }}',
	'={{ $json.a?.b }}',
	'={{ $("Probe").item.json.a }}',
	'={{ $now.toISO() }}',
	'={{ $json }}',
	'={{ $json.a[01] }}',
	'={{ $json.a[-1] }}',
	'={{ $json["a\\"b"] }}',
	'={{ $json["x.constructor"] }}',
	'={{ $json.toString }}',
	'={{ $json.__proto__ }}',
	'={{ $json["constructor"] }}',
	'={{ $json.$ }}',
	'={{ $json.a.$.b }}',
	'={{ $json.__sanitize }}',
	'={{ $json . a }}',
	'={{ $json["a\nb"] }}',
	'={{ $json["a\tb"] }}',
	'{{ $json.email }}',
	'$json.email',
];

/** The expressions the fast path must handle (with the item they are read from). */
const MUST_HANDLE: Array<[string, IDataObject, unknown]> = [
	['={{ $json.email }}', { email: 'ada@example.com' }, 'ada@example.com'],
	['={{$json["first name"]}}', { 'first name': 'Ada' }, 'Ada'],
	["={{ $json['a.b'] }}", { 'a.b': 7 }, 7],
	['={{ $json.order.lines[0].sku }}', { order: { lines: [{ sku: 'S1' }] } }, 'S1'],
	['={{ $json.order.lines[3].sku }}', { order: { lines: [] } }, undefined],
	['={{ $json.missing.x.y }}', {}, undefined],
	['={{ $json.n.x }}', { n: null }, undefined],
	['={{ $json.z }}', { z: -0 }, -0],
	['={{ $json.n }}', { n: null }, null],
	['={{ $json.big }}', { big: BIG }, BIG],
	['={{ $json.o }}', { o: { k: [1, { j: 'x' }] } }, { k: [1, { j: 'x' }] }],
];

/** Everything about a value that could differ: type, -0, NaN, prototype, key order, holes. */
function describe_(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (typeof value === 'number') return Object.is(value, -0) ? 'number:-0' : `number:${value}`;
	if (typeof value === 'string') return `string:${JSON.stringify(value)}`;
	if (typeof value !== 'object' || value === null) return `${typeof value}:${String(value)}`;
	const proto = Object.getPrototypeOf(value);
	const kind = proto === null ? 'null-proto' : (proto.constructor?.name ?? '?');
	if (Array.isArray(value)) {
		const elements = Array.from({ length: value.length }, (_, i) =>
			i in value ? describe_(value[i]) : '<hole>',
		);
		return `${kind}[${elements.join(',')}]`;
	}
	if (value instanceof Date || kind === 'Date') return `Date:${(value as Date).getTime()}`;
	const keys = Reflect.ownKeys(value).map(String);
	return `${kind}{${keys
		.map((key) => `${JSON.stringify(key)}:${describe_((value as IDataObject)[key])}`)
		.join(',')}}`;
}

interface Reading {
	expression: string;
	item: number;
	n8n: string;
	fast: string;
}

/** Reads every parameter of every item with getNodeParameter and with the fast path. */
async function readBoth(expressions: string[], items: INodeExecutionData[]): Promise<Reading[]> {
	const parameters = Object.fromEntries(expressions.map((expression, k) => [`p${k}`, expression]));
	const rows = await runProbeNode({
		parameters,
		items,
		probe: (ctx, itemIndex) =>
			expressions.map((expression, k): Reading => {
				let n8n: string;
				try {
					n8n = describe_(ctx.getNodeParameter(`p${k}`, itemIndex));
				} catch (error) {
					n8n = `throws ${(error as Error).constructor.name}: ${(error as Error).message}`;
				}
				// The raw value as the node sees it, as the Create reader will read it.
				const path = parseItemPath(ctx.getNode().parameters[`p${k}`]);
				const value = path && readItemPath(ctx.getInputData()[itemIndex].json, path);
				const fast = !path || value === HAND_TO_N8N ? 'n8n' : describe_(value);
				return { expression, item: itemIndex, n8n, fast };
			}),
	});
	return rows.flat();
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

function generated(seed: number, itemCount: number, expressionCount: number) {
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

describe.each(['legacy', 'vm'] as const)(
	'drag-and-drop fast path = n8n evaluation (%s evaluator)',
	(engine) => {
		if (engine === 'vm') {
			beforeAll(startVmExpressionEngine, 30_000);
			afterAll(stopVmExpressionEngine);
		}

		test('recognises path expressions only, and reads the everyday ones itself', async () => {
			for (const expression of NOT_PATHS)
				expect([expression, parseItemPath(expression)]).toEqual([expression, undefined]);
			const readings = await readBoth(
				MUST_HANDLE.map(([expression]) => expression),
				MUST_HANDLE.map(([, json]) => ({ json })),
			);
			const ownItem = readings.filter(
				({ expression, item }) => MUST_HANDLE[item][0] === expression,
			);
			expect(ownItem.map(({ expression, n8n, fast }) => ({ expression, n8n, fast }))).toEqual(
				MUST_HANDLE.map(([expression, , value]) => ({
					expression,
					n8n: describe_(value),
					fast: describe_(value),
				})),
			);
		});

		test('generated items × path expressions: the same value, or handed to n8n', async () => {
			const { items, expressions } = generated(20261203, 60, 80);
			const readings = await readBoth(expressions, items);
			const differing = readings.filter(({ n8n, fast }) => fast !== 'n8n' && fast !== n8n);
			expect(differing.slice(0, 10)).toEqual([]);
			// n8n's errors stay n8n's: the fast path never answered where n8n throws.
			const errors = readings.filter(({ n8n }) => n8n.startsWith('throws'));
			expect(errors.filter(({ fast }) => fast !== 'n8n')).toEqual([]);
			// It is a fast path, not a detour: most readings of recognised paths are its own.
			const recognised = readings.filter(({ expression }) => parseItemPath(expression));
			const own = recognised.filter(({ fast }) => fast !== 'n8n');
			expect(errors.length).toBeGreaterThan(0);
			expect(own.length / recognised.length).toBeGreaterThan(0.5);
			const values = own.filter(({ fast }) => fast !== 'undefined');
			expect(values.length).toBeGreaterThan(300);
			// …and among them the values whose handling differs most easily.
			for (const kind of ['number:-0', 'number:NaN', 'object:null', 'string:', 'Object{', 'Array['])
				expect([kind, values.some(({ fast }) => fast.startsWith(kind))]).toEqual([kind, true]);
		}, 60_000);
	},
);
