import {
	JsonSyntaxError,
	MAX_NESTING,
	readJsonText,
} from '../../../../nodes/BrevoEvent/payload/json';
import { parseJsonValue, toNumber } from '../../../../nodes/BrevoEvent/payload/values';
import { fieldErrorOf } from '../../../helpers/field-error';

const FIELD = 'Event Properties';

function syntaxErrorOf(text: string): JsonSyntaxError {
	let caught: unknown;
	try {
		readJsonText(text, FIELD);
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(JsonSyntaxError);
	return caught as JsonSyntaxError;
}

describe('readJsonText: what JSON.parse reads, where nothing changes silently', () => {
	test.each([
		'{}',
		'[]',
		' {"a": 1, "b": [true, false, null, "x"], "c": {"d": -0.5e-3}} ',
		'"\\u00e9\\n\\"\\\\\\/\\b\\f\\r\\t"',
		'0',
		'-0',
		'59.90',
		'1E5',
		'0.30000000000000004',
		'9007199254740991',
		'[[], {}, [{}], {"": ""}]',
		'"\ud83d\ude00 and a lone \\ud800"',
		'{"a\\u0000b": 1}',
	])('%s', (text) => {
		expect(readJsonText(text, FIELD)).toEqual(JSON.parse(text));
	});

	test.each([
		['', 0],
		[' ', 1],
		['{', 1],
		['{"a" 1}', 5],
		['{"a": 1,}', 8],
		['[1,]', 3],
		['[,1]', 1],
		['[1 2]', 3],
		['{a: 1}', 1],
		["{'a': 1}", 1],
		['01', 1],
		['1.', 1],
		['.5', 0],
		['+1', 0],
		['-', 0],
		['0x10', 1],
		['NaN', 0],
		['Infinity', 0],
		['tru', 0],
		['nulls', 4],
		['"a\tb"', 2],
		['"a\\x"', 2],
		['"\\u12G4"', 1],
		['"abc', 4],
		['{} {}', 3],
		['[1]]', 3],
		['\u00a0{}', 0],
		['{"a": 1} // note', 9],
	])('%p is not JSON (position %p)', (text, position) => {
		expect(() => JSON.parse(text)).toThrow();
		expect(syntaxErrorOf(text).position).toBe(position);
	});

	test.each([
		[
			'{"total": 1.00000000000000001}',
			'Event Properties › total',
			'"1.00000000000000001" has more digits than a number holds exactly: it would be sent as 1',
		],
		[
			'{"tiny": 1e-400}',
			'Event Properties › tiny',
			'"1e-400" is too close to zero for a number to hold: it would be sent as 0',
		],
		[
			'{"order": {"id": 9007199254740993}}',
			'Event Properties › order › id',
			'"9007199254740993" is beyond ±9007199254740991, where numbers are no longer exact',
		],
		[
			'{"lines": [1, 2, 1e400]}',
			'Event Properties › lines[2]',
			'"1e400" is beyond ±9007199254740991, where numbers are no longer exact',
		],
	])('%s: refused as in a Number row', (text, field, message) => {
		const error = fieldErrorOf(() => readJsonText(text, FIELD));
		expect(error.field).toBe(field);
		expect(error.message).toBe(message);
	});

	/** The outcome of reading one number: its value, or the error message. */
	function outcome(read: () => unknown): unknown {
		try {
			return read();
		} catch (error) {
			return (error as Error).message;
		}
	}

	test('every number token reads exactly as a Number row reads the same text', () => {
		// Deterministic pseudo-random tokens around the 15-digit fast path and the exact range.
		let seed = 17;
		const next = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed % n;
		};
		const digits = (n: number) => Array.from({ length: n }, () => String(next(10))).join('');
		const tokens = [
			'999999999999999',
			'9999999999999999',
			'0.1234567890123',
			'0.12345678901234567',
			'-0.000000000001',
			'123456789012.345',
		];
		for (let i = 0; i < 3000; i++) {
			const whole = next(5) === 0 ? '0' : String(next(9) + 1) + digits(next(18));
			const fraction = next(2) ? `.${digits(next(20) + 1)}` : '';
			const exponent = next(4) === 0 ? `e${next(2) ? '-' : ''}${next(400)}` : '';
			tokens.push(`${next(2) ? '-' : ''}${whole}${fraction}${exponent}`);
		}
		for (const token of tokens) {
			const field = 'Event Properties[0]';
			const fromText = outcome(() => (readJsonText(`[${token}]`, FIELD) as unknown[])[0]);
			expect([token, fromText]).toEqual([token, outcome(() => toNumber(token, field))]);
		}
	});

	test.each([
		['{"plan": "free", "plan": "pro"}', 'Event Properties › plan', 'plan'],
		['{"order": {"id": 1, "total": 2, "id": 3}}', 'Event Properties › order › id', 'id'],
		[
			'{"lines": [{"sku": "a"}, {"sku": "b", "sku": "c"}]}',
			'Event Properties › lines[1] › sku',
			'sku',
		],
		['{"__proto__": 1, "__proto__": 2}', 'Event Properties › __proto__', '__proto__'],
		['{"\\u0061": 1, "a": 2}', 'Event Properties › a', 'a'],
	])('%s: a repeated key is refused, naming it and its path', (text, field, key) => {
		const error = fieldErrorOf(() => readJsonText(text, FIELD));
		expect(error.field).toBe(field);
		expect(error.message).toBe(
			`the key "${key}" appears more than once in this object; a JSON reader would silently keep only the last value`,
		);
	});

	test('__proto__ becomes a key (refused later by name), not the prototype', () => {
		const value = readJsonText('{"__proto__": {"polluted": 1}}', FIELD) as object;
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect(Object.keys(value)).toEqual(['__proto__']);
	});

	test(`nesting: ${MAX_NESTING} levels read, one more refused naming the top-level entry; 100,000 no stack overflow`, () => {
		const levels = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
		expect(() => readJsonText(levels(MAX_NESTING), FIELD)).not.toThrow();
		expect(fieldErrorOf(() => readJsonText(levels(MAX_NESTING + 1), FIELD)).field).toBe(
			'Event Properties[0]',
		);
		const deep = fieldErrorOf(() => readJsonText(`{"deep": ${levels(100_000)}}`, FIELD));
		expect(deep.field).toBe('Event Properties › deep');
		expect(deep.message).toBe(
			'nests objects and arrays more than 100 levels deep; the node accepts at most 100',
		);
	});
});

describe('parseJsonValue', () => {
	test('text that is not JSON names the field and where it stops being JSON', () => {
		const error = fieldErrorOf(() => parseJsonValue('{"a": 1,}', 'Event Properties › x'));
		expect(error.field).toBe('Event Properties › x');
		expect(error.message).toBe('"{"a": 1,}" is not valid JSON (at character 9)');
	});

	test('duplicate keys and inexact numbers are refused, a value that is not text is kept', () => {
		expect(fieldErrorOf(() => parseJsonValue('{"a": 1, "a": 2}', 'F')).field).toBe('F › a');
		expect(fieldErrorOf(() => parseJsonValue('[0.1, 1e-400]', 'F')).field).toBe('F[1]');
		const object = { a: 1 };
		expect(parseJsonValue(object, 'F')).toBe(object);
		expect(parseJsonValue('{"a": [1.5, "x"]}', 'F')).toEqual({ a: [1.5, 'x'] });
	});
});
