import {
	HAND_TO_N8N,
	parseItemPath,
	readItemPath,
} from '../../../../nodes/BrevoEvent/parameters/itemPath';

/**
 * The recognised forms, as keys. Whether the values read are n8n's is proven against n8n's own
 * evaluators in test/engine/itemPath.engine.test.ts; this says which expressions the fast path
 * takes at all, and what it leaves to n8n.
 */
describe('parseItemPath', () => {
	test.each([
		['={{ $json.email }}', ['email']],
		['={{$json.email}}', ['email']],
		['={{\n\t$json.email  }}', ['email']],
		['={{ $json["first name"] }}', ['first name']],
		["={{ $json['a.b'] }}", ['a.b']],
		['={{ $json.order.lines[0].sku }}', ['order', 'lines', '0', 'sku']],
		['={{ $json["0"][12]._x.$y }}', ['0', '12', '_x', '$y']],
		['={{ $json["ü 😀"] }}', ['ü 😀']],
		['={{ $json }}', []],
	])('%j reads %j', (expression, path) => {
		expect(parseItemPath(expression)).toEqual(path);
	});

	test.each([
		'{{ $json.email }}',
		'={{ $json.email }} ',
		'=Hi {{ $json.email }}',
		'={{ $json.a }}{{ $json.b }}',
		'={{ $json.a.trim() }}',
		'={{ $json.a + 1 }}',
		'={{ $json?.a }}',
		'={{ $json[a] }}',
		'={{ $json[01] }}',
		'={{ $json["a\\"b"] }}',
		'={{ $json["}}"] }}',
		'={{ $json.$ }}',
		'={{ $json.__sanitize }}',
		'={{ $json.__proto__ }}',
		'={{ $json["prototype"] }}',
		'={{ $json["x.constructor"] }}',
		'={{ $json.toString }}',
		'={{ $("Node").item.json.a }}',
		'={{ $now }}',
	])('%j is left to n8n', (expression) => {
		expect(parseItemPath(expression)).toBeUndefined();
	});
});

describe('readItemPath', () => {
	const item = { a: { b: [10, { c: null }] }, s: 'text', n: -0, d: new Date(0) };

	test('values, missing fields and missing parents as n8n gives them', () => {
		expect(readItemPath(item, ['a', 'b', '0'])).toBe(10);
		expect(readItemPath(item, ['a', 'b', '1', 'c'])).toBeNull();
		expect(Object.is(readItemPath(item, ['n']), -0)).toBe(true);
		expect(readItemPath(item, ['missing'])).toBeUndefined();
		expect(readItemPath(item, ['missing', 'x', 'y'])).toBeUndefined();
		expect(readItemPath(item, ['a', 'b', '1', 'c', 'd'])).toBeUndefined();
		expect(readItemPath(item, ['a', 'b', '5'])).toBeUndefined();
	});

	test('objects and arrays come back as copies', () => {
		const value = readItemPath(item, ['a']);
		expect(value).toEqual(item.a);
		expect(value).not.toBe(item.a);
	});

	test('what it cannot vouch for is handed to n8n', () => {
		expect(readItemPath(item, ['s', 'length'])).toBe(HAND_TO_N8N);
		expect(readItemPath(item, ['a', 'b', 'length'])).toBe(HAND_TO_N8N);
		expect(readItemPath(item, ['d'])).toBe(HAND_TO_N8N);
		expect(readItemPath({ o: { toString: 1 } }, ['o'])).toBe(HAND_TO_N8N);
		expect(readItemPath({ o: JSON.parse('{"__proto__": 1}') }, ['o'])).toBe(HAND_TO_N8N);
		expect(readItemPath({ l: [1, , 3] }, ['l'])).toBe(HAND_TO_N8N); // eslint-disable-line no-sparse-arrays
		expect(readItemPath({ b: BigInt(1) }, ['b'])).toBe(HAND_TO_N8N);
	});
});
