import { FieldError } from './FieldError';

/**
 * Which numbers reach Brevo exactly. JSON has no NaN or Infinity (JSON.stringify writes null), and
 * past ±(2^53 − 1) a number is no longer exact (9007199254740993 is read as ...992): both are refused.
 */

const SEND_AS_TEXT =
	'If it is an ID or a code, send it as text (a String row, or a quoted JSON string)';

/** Returns `value` if JSON carries it exactly, else throws naming `field` (and `shown`, the input). */
export function checkNumber(value: number, field: string, shown = String(value)): number {
	if (Number.isNaN(value)) {
		throw new FieldError(
			field,
			'is NaN ("not a number"), which JSON cannot carry: Brevo would receive null',
			'Check the expression: Number() of text that is not a number gives NaN',
		);
	}
	if (!Number.isFinite(value)) {
		throw new FieldError(
			field,
			`is ${value}, which JSON cannot carry: Brevo would receive null`,
			'Check the expression, e.g. for a division by zero',
		);
	}
	if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
		throw new FieldError(
			field,
			`${shown} is beyond ±${Number.MAX_SAFE_INTEGER}, where numbers are no longer exact`,
			SEND_AS_TEXT,
		);
	}
	return value;
}

/** Plain decimal notation only: "0x10", "0b1", "Infinity" or "1_000" are not numbers here. */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** A decimal's value as sign, significant digits and exponent, so "59.90" and "59.9" compare equal. */
function decimalKey(text: string): string | undefined {
	const match = DECIMAL.exec(text);
	if (!match || `${match[2]}${match[3] ?? ''}` === '') return undefined;
	const [, sign, whole, fraction = '', exponent = '0'] = match;
	let digits = `${whole}${fraction}`.replace(/^0+/, '');
	let power = Number(exponent) - fraction.length;
	if (digits === '') return '0';
	while (digits.endsWith('0')) {
		digits = digits.slice(0, -1);
		power++;
	}
	return `${sign === '-' ? '-' : ''}${digits}e${power}`;
}

/**
 * A number from text written in decimal notation, or undefined if the text is not one. Throws if
 * the number would not be the text's value: too many digits to hold ("1.00000000000000001") or
 * beyond the exact range.
 */
export function parseDecimal(text: string, field: string): number | undefined {
	const key = decimalKey(text);
	if (key === undefined) return undefined;
	const value = Number(text);
	// "1e400" is Infinity: out of range, like any number past the exact range.
	if (!Number.isFinite(value)) checkNumber(Number.MAX_VALUE, field, `"${text}"`);
	checkNumber(value, field, `"${text}"`);
	if (value === 0 && key !== '0') {
		throw new FieldError(
			field,
			`"${text}" is too close to zero for a number to hold: it would be sent as 0`,
			SEND_AS_TEXT,
		);
	}
	if (decimalKey(String(value)) !== key) {
		throw new FieldError(
			field,
			`"${text}" has more digits than a number holds exactly: it would be sent as ${String(value)}`,
			SEND_AS_TEXT,
		);
	}
	return value;
}
