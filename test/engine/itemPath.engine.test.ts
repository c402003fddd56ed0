import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	HAND_TO_N8N,
	parseItemPath,
	readItemPath,
} from '../../nodes/BrevoEvent/parameters/itemPath';
import { BIG, describeValue, generated } from '../helpers/item-paths';
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
	['={{ $json }}', { a: 1, b: [null] }, { a: 1, b: [null] }],
];

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
					n8n = describeValue(ctx.getNodeParameter(`p${k}`, itemIndex));
				} catch (error) {
					n8n = `throws ${(error as Error).constructor.name}: ${(error as Error).message}`;
				}
				// The raw value as the node sees it, as the Create reader will read it.
				const path = parseItemPath(ctx.getNode().parameters[`p${k}`]);
				const value = path && readItemPath(ctx.getInputData()[itemIndex].json, path);
				const fast = !path || value === HAND_TO_N8N ? 'n8n' : describeValue(value);
				return { expression, item: itemIndex, n8n, fast };
			}),
	});
	return rows.flat();
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
					n8n: describeValue(value),
					fast: describeValue(value),
				})),
			);
		}, 30_000);

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
