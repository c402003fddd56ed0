import { getSchema } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import { NodeHelpers, type INode, type INodeProperties } from 'n8n-workflow';
import type { ZodObject, ZodRawShape, ZodTypeAny } from 'zod';

import { BrevoEvent } from '../../../nodes/BrevoEvent/BrevoEvent.node';

const nodeType = new BrevoEvent();
const { properties } = nodeType.description;

/** A property of the node (or of one of its collections), found by its path of names. */
function property(
	path: string[],
	operation: string,
	list: INodeProperties[] = properties,
): INodeProperties {
	const [name, ...rest] = path;
	const found = list.find(
		(p) =>
			p.name === name &&
			(!p.displayOptions?.show?.operation || p.displayOptions.show.operation.includes(operation)),
	);
	expect(found).toBeDefined();
	if (rest.length === 0) return found!;
	const children = (found!.options ?? []).flatMap((o) =>
		'values' in o ? o.values : 'type' in o ? [o as INodeProperties] : [],
	);
	return property(rest, operation, children as INodeProperties[]);
}

/** What n8n's "let the model define this parameter" writes, with our description as the hint. */
function fromAI(key: string, path: string[], operation: string, type = 'string'): string {
	const { description } = property(path, operation);
	return `={{ $fromAI('${key}', \`${description}\`, '${type}') }}`;
}

const asTool = (parameters: INode['parameters']): INode => ({
	id: '1',
	name: 'Brevo Event',
	type: 'n8n-nodes-brevo-event.brevoEventTool',
	typeVersion: 1,
	position: [0, 0],
	parameters,
});

function shapeOf(node: INode) {
	return (getSchema(node) as unknown as ZodObject<ZodRawShape>).shape as Record<string, ZodTypeAny>;
}

describe('Brevo Event as an AI agent tool', () => {
	test('the node is usable as a tool', () => {
		expect(nodeType.description.usableAsTool).toBe(true);
	});

	test('Create: every field the model fills appears in the tool schema with its description', () => {
		const fields: Array<[string, string[], string]> = [
			['event_name', ['eventName'], 'string'],
			['email', ['identifiers', 'emailId'], 'string'],
			['external_id', ['identifiers', 'extId'], 'string'],
			['contact_id', ['identifiers', 'contactId'], 'number'],
			['phone', ['identifiers', 'phoneId'], 'string'],
			['event_properties', ['eventPropertiesJson'], 'json'],
			['contact_properties', ['contactPropertiesJson'], 'json'],
			['event_date', ['additionalFields', 'eventDate'], 'string'],
		];
		const node = asTool({
			resource: 'event',
			operation: 'create',
			eventName: fromAI('event_name', ['eventName'], 'create'),
			identifiers: {
				emailId: fromAI('email', ['identifiers', 'emailId'], 'create'),
				extId: fromAI('external_id', ['identifiers', 'extId'], 'create'),
				contactId: fromAI('contact_id', ['identifiers', 'contactId'], 'create', 'number'),
				phoneId: fromAI('phone', ['identifiers', 'phoneId'], 'create'),
			},
			specifyEventProperties: 'json',
			eventPropertiesJson: fromAI('event_properties', ['eventPropertiesJson'], 'create', 'json'),
			specifyContactProperties: 'json',
			contactPropertiesJson: fromAI(
				'contact_properties',
				['contactPropertiesJson'],
				'create',
				'json',
			),
			additionalFields: {
				eventDate: fromAI('event_date', ['additionalFields', 'eventDate'], 'create'),
			},
		});

		const shape = shapeOf(node);
		expect(Object.keys(shape).sort()).toEqual(fields.map(([key]) => key).sort());
		for (const [key, path] of fields) {
			const { description } = property(path, 'create');
			expect(description!.length).toBeGreaterThan(20);
			expect(shape[key].description).toBe(description);
		}
		expect(shape.event_name.description).toMatch(
			/1–255 characters: letters, digits, "-" and "_" only/,
		);
	});

	test('Get Many: filters and limit appear in the tool schema with their descriptions', () => {
		const node = asTool({
			resource: 'event',
			operation: 'getAll',
			returnAll: false,
			limit: fromAI('limit', ['limit'], 'getAll', 'number'),
			filters: {
				eventNames: fromAI('event_names', ['filters', 'eventNames'], 'getAll'),
				contactIds: fromAI('contact_ids', ['filters', 'contactIds'], 'getAll'),
				startDate: fromAI('start_date', ['filters', 'startDate'], 'getAll'),
				endDate: fromAI('end_date', ['filters', 'endDate'], 'getAll'),
			},
		});
		const shape = shapeOf(node);
		expect(Object.keys(shape).sort()).toEqual([
			'contact_ids',
			'end_date',
			'event_names',
			'limit',
			'start_date',
		]);
		expect(shape.event_names.description).toBe(
			'Only events with one of these names (comma-separated)',
		);
		expect(shape.start_date.description).toMatch(/Brevo needs End Date with it/);
	});

	test('the tool description n8n gives the agent names the operation', () => {
		const create = asTool({ resource: 'event', operation: 'create' });
		const getAll = asTool({ resource: 'event', operation: 'getAll' });
		expect(NodeHelpers.getToolDescriptionForNode(create, nodeType)).toBe(
			'Create an event in Brevo Event',
		);
		expect(NodeHelpers.getToolDescriptionForNode(getAll, nodeType)).toBe(
			'Get many events in Brevo Event',
		);
	});

	test('every parameter a user or a model fills has a description', () => {
		const missing: string[] = [];
		const walk = (list: INodeProperties[], prefix: string) => {
			for (const p of list) {
				const path = `${prefix}${p.name}`;
				if (!['resource', 'operation'].includes(p.name) && !p.description) missing.push(path);
				for (const option of p.options ?? []) {
					if ('values' in option) walk(option.values, `${path}.${option.name}.`);
					else if ('type' in option) walk([option as INodeProperties], `${path}.`);
				}
			}
		};
		walk(properties, '');
		expect(missing).toEqual([]);
	});
});
