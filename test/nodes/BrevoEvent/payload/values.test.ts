import { checkJsonTree, MAX_NESTING } from '../../../../nodes/BrevoEvent/payload/json';
import {
	formatValue,
	toBoolean,
	toIdentifierText,
	toNumber,
	toText,
} from '../../../../nodes/BrevoEvent/payload/values';
import { fieldErrorOf } from '../../../helpers/field-error';

const FIELD = 'Event Properties › amount';

/** `levels` objects nested in each other: {"a": {"a": … 1}}, built without recursion. */
export function nested(levels: number): unknown {
	let value: unknown = 1;
	for (let i = 0; i < levels; i++) value = { a: value };
	return value;
}

describe('toNumber: exact or refused', () => {
	test.each([
		['142', 142],
		[' 59.90 ', 59.9],
		['-1.5e3', -1500],
		['.5', 0.5],
		['+7', 7],
		['0.30000000000000004', 0.30000000000000004],
		['9007199254740991', 9007199254740991],
		[-9007199254740991, -9007199254740991],
		[0.1, 0.1],
	])('%p → %p', (input, expected) => {
		expect(toNumber(input, FIELD)).toBe(expected);
	});

	test.each([
		[Number.NaN, 'is NaN ("not a number"), which JSON cannot carry: Brevo would receive null'],
		[Infinity, 'is Infinity, which JSON cannot carry: Brevo would receive null'],
		[-Infinity, 'is -Infinity, which JSON cannot carry: Brevo would receive null'],
		[
			9007199254740992,
			'9007199254740992 is beyond ±9007199254740991, where numbers are no longer exact',
		],
		[
			'9007199254740993',
			'"9007199254740993" is beyond ±9007199254740991, where numbers are no longer exact',
		],
		['1e400', '"1e400" is beyond ±9007199254740991, where numbers are no longer exact'],
		[
			'1.00000000000000001',
			'"1.00000000000000001" has more digits than a number holds exactly: it would be sent as 1',
		],
		['0x10', '"0x10" is not a number'],
		['0b11', '"0b11" is not a number'],
		['1_000', '"1_000" is not a number'],
		['Infinity', '"Infinity" is not a number'],
		['', '"" is not a number'],
		[[7], '[7] is not a number'],
	])('%p is refused: %s', (input, message) => {
		const error = fieldErrorOf(() => toNumber(input, FIELD));
		expect(error.field).toBe(FIELD);
		expect(error.message).toBe(message);
	});
});

describe('toText', () => {
	test('numbers and objects are written as they are sent', () => {
		expect(toText(32, FIELD)).toBe('32');
		expect(toText({ a: [1, 'x'] }, FIELD)).toBe('{"a":[1,"x"]}');
	});

	test('NaN is refused, not written as "NaN"', () => {
		expect(fieldErrorOf(() => toText(Number.NaN, FIELD)).message).toMatch(/^is NaN/);
	});

	test('NaN inside an object is refused naming its path, not written as null', () => {
		const error = fieldErrorOf(() => toText({ a: [1, Number.NaN] }, FIELD));
		expect(error.field).toBe(`${FIELD} › a[1]`);
	});
});

describe('checkJsonTree', () => {
	test('a number JSON cannot carry is refused with its key path', () => {
		const value = { order: { lines: [{ qty: 2 }, { qty: Infinity }] } };
		const error = fieldErrorOf(() => checkJsonTree(value, 'Event Properties'));
		expect(error.field).toBe('Event Properties › order › lines[1] › qty');
		expect(error.message).toBe('is Infinity, which JSON cannot carry: Brevo would receive null');
	});

	test('a BigInt is refused (JSON.stringify would throw)', () => {
		const error = fieldErrorOf(() => checkJsonTree({ id: 10n }, 'Event Properties'));
		expect(error.field).toBe('Event Properties › id');
		expect(error.message).toBe('10n is a BigInt, which JSON cannot carry');
	});

	test(`${MAX_NESTING} levels pass, one more is refused naming the top-level key`, () => {
		expect(() => checkJsonTree(nested(MAX_NESTING), 'Event Properties')).not.toThrow();
		const error = fieldErrorOf(() => checkJsonTree(nested(MAX_NESTING + 1), 'Event Properties'));
		expect(error.field).toBe('Event Properties › a');
		expect(error.message).toBe(
			'nests objects and arrays more than 100 levels deep; the node accepts at most 100',
		);
	});

	test('100,000 levels: the same error, no stack overflow', () => {
		const error = fieldErrorOf(() => checkJsonTree(nested(100_000), 'Event Properties'));
		expect(error.message).toMatch(/more than 100 levels deep/);
	});

	test('dates inside are left to their toJSON', () => {
		expect(() => checkJsonTree({ at: new Date(0) }, 'Event Properties')).not.toThrow();
	});
});

describe('formatValue', () => {
	test('shows NaN and Infinity as such, not as null', () => {
		expect(formatValue(Number.NaN)).toBe('NaN');
		expect(formatValue(-Infinity)).toBe('-Infinity');
	});

	test('a value too deep to write out is described, not thrown on', () => {
		expect(formatValue(nested(100_000))).toBe('an object');
	});

	test('a long value is cut', () => {
		expect(formatValue('x'.repeat(500))).toHaveLength(201);
	});
});

describe('toBoolean: one value, never a list', () => {
	test.each([
		[true, true],
		['yes', true],
		[' FALSE ', false],
		[0, false],
		['1', true],
	])('%p → %p', (input, expected) => {
		expect(toBoolean(input, 'Event Properties › vip')).toBe(expected);
	});

	test.each([
		[[true], '[true] is a list, not a boolean'],
		[['no'], '["no"] is a list, not a boolean'],
		[[1], '[1] is a list, not a boolean'],
		[[], '[] is a list, not a boolean'],
		[{ v: true }, '{"v":true} is not a boolean'],
		['maybe', '"maybe" is not a boolean'],
	])('%p is refused', (input, message) => {
		const error = fieldErrorOf(() => toBoolean(input, 'Event Properties › vip'));
		expect(error.field).toBe('Event Properties › vip');
		expect(error.message).toBe(message);
	});

	test("the caller's note is kept for a list too", () => {
		expect(
			fieldErrorOf(() =>
				toBoolean([true], 'Contact Properties › VIP', 'VIP is a boolean attribute'),
			).message,
		).toBe('[true] is a list, not a boolean (VIP is a boolean attribute)');
	});
});

describe('toIdentifierText: invisible characters refused, whitespace around trimmed', () => {
	const FIELD_ID = 'Identifiers › Email';

	test.each([
		['  ada@example.com\n', 'ada@example.com'],
		['\tada@example.com ', 'ada@example.com'],
		['\u00a0ada@example.com', 'ada@example.com'],
		[42, '42'],
		['Ünïcödé-ID_1', 'Ünïcödé-ID_1'],
	])('%p → %p', (input, expected) => {
		expect(toIdentifierText(input, FIELD_ID)).toBe(expected);
	});

	test.each([
		['ada\u200b@example.com', 4, 'U+200B (zero-width space)', '"ada\\u200B@example.com"'],
		['\u200bada@example.com', 1, 'U+200B (zero-width space)', '"\\u200Bada@example.com"'],
		['ada@exa\u200cmple.com', 8, 'U+200C (zero-width non-joiner)', '"ada@exa\\u200Cmple.com"'],
		['ada\u200d@example.com', 4, 'U+200D (zero-width joiner)', '"ada\\u200D@example.com"'],
		['ada@example.com\u2060', 16, 'U+2060 (word joiner)', '"ada@example.com\\u2060"'],
		// trim() would have dropped a byte order mark silently: refused wherever it is.
		['\ufeffada@example.com', 1, 'U+FEFF (byte order mark)', '"\\uFEFFada@example.com"'],
		[' ada@example.com\ufeff', 17, 'U+FEFF (byte order mark)', '" ada@example.com\\uFEFF"'],
		['\u202eada@example.com', 1, 'U+202E (a bidirectional control)', '"\\u202Eada@example.com"'],
		['ada\u200f@example.com', 4, 'U+200F (right-to-left mark)', '"ada\\u200F@example.com"'],
		['ada\u0000@example.com', 4, 'U+0000 (a control character)', '"ada\\u0000@example.com"'],
		['a\tb', 2, 'U+0009 (a control character)', '"a\\u0009b"'],
		['x\u2067y', 2, 'U+2067 (a bidirectional control)', '"x\\u2067y"'],
		['x\u00ady', 2, 'U+00AD (soft hyphen)', '"x\\u00ADy"'],
		['😀\u200b', 2, 'U+200B (zero-width space)', '"😀\\u200B"'],
	])('%p: position %p, %s', (input, position, character, shown) => {
		const error = fieldErrorOf(() => toIdentifierText(input, FIELD_ID));
		expect(error.field).toBe(FIELD_ID);
		expect(error.message).toBe(
			`${shown} has an invisible character at position ${position}: ${character}`,
		);
	});
});
