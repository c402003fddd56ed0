import type { IDataObject } from 'n8n-workflow';

import type { IdentifierParameter } from './event';
import type { PropertyRow } from './properties';
import { isBlank } from './values';

/**
 * Values taken straight from an input item's JSON, by field name: the bulk path, where no
 * expression is evaluated per item. What comes out is the same raw input the other modes give the
 * payload builder (identifier values, typed rows, a JSON object), so conversion, validation and
 * error messages are the builder's, identical for every mode.
 */

/**
 * The value of input field `name`: the key as written, or, when no key has that name, a dotted path
 * into nested objects (`customer.email`), as n8n's field-name parameters read them.
 */
export function fieldValue(json: IDataObject, name: string): unknown {
	if (Object.prototype.hasOwnProperty.call(json, name)) return json[name];
	if (!name.includes('.')) return undefined;
	let value: unknown = json;
	for (const key of name.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/** Field names typed as "a, b" (or mapped as a list): trimmed, empty ones dropped. */
export function parseFieldList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((name) => String(name).trim()).filter((name) => name !== '');
}

/** Identifier values read from the input fields named per identifier, e.g. emailId ← "email". */
export function identifiersFromFields(
	json: IDataObject,
	fields: Partial<Record<IdentifierParameter, unknown>>,
): Partial<Record<IdentifierParameter, unknown>> {
	const identifiers: Partial<Record<IdentifierParameter, unknown>> = {};
	for (const [parameter, name] of Object.entries(fields)) {
		if (typeof name === 'string' && name.trim() !== '') {
			identifiers[parameter as IdentifierParameter] = fieldValue(json, name.trim());
		}
	}
	return identifiers;
}

/** Every input field but the excluded ones, as one object (top level copied, values shared). */
export function allFieldsExcept(json: IDataObject, except: ReadonlySet<string>): IDataObject {
	const picked: IDataObject = {};
	for (const key of Object.keys(json)) {
		if (!except.has(key)) setOwn(picked, key, json[key]);
	}
	return picked;
}

/** The named input fields, as one object; a field the item does not have is left out. */
export function namedFields(json: IDataObject, names: readonly string[]): IDataObject {
	const picked: IDataObject = {};
	for (const name of names) {
		if (Object.prototype.hasOwnProperty.call(json, name)) setOwn(picked, name, json[name]);
	}
	return picked;
}

/**
 * Map Each Attribute: the resource mapper's values by attribute name, as rows typed by their
 * attribute. An attribute left empty in the mapper (null) or mapped to an empty value is not sent.
 */
export function mappedAttributeRows(values: IDataObject | null | undefined): PropertyRow[] {
	const rows: PropertyRow[] = [];
	for (const [name, value] of Object.entries(values ?? {})) {
		if (!isBlank(value)) rows.push({ name, type: 'attribute', value });
	}
	return rows;
}

/**
 * `target[key] = value` as an own field even for "__proto__" (an item parsed from JSON can have
 * one), which assignment would take as the object's prototype: the field would vanish from the
 * event without a word instead of being refused as a reserved key.
 */
function setOwn(target: IDataObject, key: string, value: unknown): void {
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}
