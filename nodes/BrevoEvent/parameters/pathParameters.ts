import { HAND_TO_N8N, parseItemPath, readItemPath, type ItemPath } from './itemPath';

/**
 * A whole parameter (a text field, a collection such as Identifiers, a list of rows) whose every
 * expression is a drag-and-drop path of the item: planned once per execution, then resolved per
 * item the way n8n's getNodeParameter resolves it (objects and arrays rebuilt key by key, values
 * without expression as they are, each expression replaced by its value) without n8n's evaluator.
 * Only for parameters n8n does not check against a declared type after resolving them (the Create
 * parameters declare no `validateType`, tested in test/engine/pathParameters.engine.test.ts).
 */
export type ParameterPlan =
	| { kind: 'path'; path: ItemPath }
	| { kind: 'value'; value: unknown }
	| { kind: 'list'; items: ParameterPlan[] }
	| { kind: 'object'; entries: Array<[string, ParameterPlan]> };

/** Keys whose assignment would not make an own field: such a parameter is left to n8n. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The plan for a raw parameter value, or undefined if any expression in it is not a path of the
 * item (then n8n evaluates the whole parameter, as without the fast path).
 */
export function planParameter(raw: unknown): ParameterPlan | undefined {
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return { kind: 'value', value: raw };
		const path = parseItemPath(raw);
		return path && { kind: 'path', path };
	}
	if (raw === null || ['number', 'boolean', 'undefined'].includes(typeof raw))
		return { kind: 'value', value: raw };
	if (Array.isArray(raw)) {
		const items: ParameterPlan[] = [];
		for (const item of raw) {
			const plan = planParameter(item);
			if (!plan) return undefined;
			items.push(plan);
		}
		return { kind: 'list', items };
	}
	if (typeof raw !== 'object' || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
	const entries: Array<[string, ParameterPlan]> = [];
	for (const [key, value] of Object.entries(raw)) {
		const plan = !UNSAFE_KEYS.has(key) && planParameter(value);
		if (!plan) return undefined;
		entries.push([key, plan]);
	}
	return { kind: 'object', entries };
}

/** The parameter's value for an item's JSON, or HAND_TO_N8N if any of its paths needs n8n. */
export function resolveParameter(plan: ParameterPlan, json: unknown): unknown {
	switch (plan.kind) {
		case 'path':
			return readItemPath(json, plan.path);
		case 'value':
			return plan.value;
		case 'list': {
			const list: unknown[] = [];
			for (const item of plan.items) {
				const value = resolveParameter(item, json);
				if (value === HAND_TO_N8N) return HAND_TO_N8N;
				list.push(value);
			}
			return list;
		}
		case 'object': {
			const object: Record<string, unknown> = {};
			for (const [key, entry] of plan.entries) {
				const value = resolveParameter(entry, json);
				if (value === HAND_TO_N8N) return HAND_TO_N8N;
				object[key] = value;
			}
			return object;
		}
	}
}
