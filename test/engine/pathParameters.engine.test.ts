import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { BrevoEvent } from '../../nodes/BrevoEvent/BrevoEvent.node';
import { ParameterReader } from '../../nodes/BrevoEvent/parameters/create.parameters';
import { describeValue, generated, random } from '../helpers/item-paths';
import {
	runProbeNode,
	startVmExpressionEngine,
	stopVmExpressionEngine,
} from '../helpers/probe-engine';

/**
 * Whole Create parameters (Event Name, the Identifiers collection, rows of properties, the resource
 * mapper, Additional Fields) read by Create's ParameterReader (with the fast path) and by
 * getNodeParameter, inside n8n-core's engine with the Brevo Event node's own parameter
 * descriptions (so n8n normalises and checks them as it does for the node): the same value or the
 * same error, item by item; most of them without n8n's evaluator.
 */

const properties = new BrevoEvent().description.properties;

/** Slots for expressions in the parameters of a Create node, in two of its modes. */
const shapes = (e: string[]): INodeParameters[] => [
	{
		resource: 'event',
		operation: 'create',
		eventName: e[0],
		identifiers: { emailId: e[1], extId: e[2], phoneId: e[3] },
		specifyContactProperties: 'keypair',
		contactProperties: {
			property: [
				{ name: 'FIRSTNAME', type: 'string', value: e[4] },
				{ name: 'AGE', type: 'number', value: e[5] },
			],
		},
		specifyEventProperties: 'keypair',
		eventProperties: {
			property: [
				{ name: 'a', type: 'json', value: e[6] },
				{ name: 'b', type: 'string', value: 'fixed' },
			],
		},
		additionalFields: { eventDate: e[7] },
	},
	{
		resource: 'event',
		operation: 'create',
		eventName: 'order_created',
		identifiers: { contactId: 12, emailId: e[0] },
		specifyContactProperties: 'mapper',
		contactAttributes: {
			mappingMode: 'defineBelow',
			value: { AGE: e[1], FIRSTNAME: e[2], VIP: null },
			matchingColumns: [],
			schema: [{ id: 'AGE', displayName: 'AGE', type: 'number', display: true }],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		specifyEventProperties: 'json',
		eventPropertiesJson: e[3],
		additionalFields: {},
	},
];

const READ = [
	'eventName',
	'identifiers',
	'contactProperties',
	'eventProperties',
	'contactAttributes',
	'eventPropertiesJson',
	'additionalFields',
];

/** Expressions that make the whole parameter n8n's: text around, a method, an operator. */
const OTHERS = ['={{ $json.email }} ', '={{ $json.a.toString() }}', '={{ $json.a + 1 }}'];

function declaresValidateType(list: readonly unknown[]): boolean {
	return list.some((entry) => {
		const property = entry as INodeProperties & { values?: unknown[] };
		return (
			property.validateType !== undefined ||
			declaresValidateType((property.options as unknown[] | undefined) ?? []) ||
			declaresValidateType(property.values ?? [])
		);
	});
}

test('no Brevo Event parameter declares a validateType: n8n returns them as resolved', () => {
	// Otherwise getNodeParameter would convert or refuse values after resolving them, which the
	// fast path does not do.
	expect(declaresValidateType(properties)).toBe(false);
});

describe.each(['legacy', 'vm'] as const)(
	'Create parameters: fast path = getNodeParameter (%s)',
	(engine) => {
		if (engine === 'vm') {
			beforeAll(startVmExpressionEngine, 30_000);
			afterAll(stopVmExpressionEngine);
		}

		test('generated items × parameters holding path expressions', async () => {
			const rnd = random(42);
			let own = 0;
			let handed = 0;
			const differing: unknown[] = [];
			for (let run = 0; run < 6; run++) {
				const { items, expressions } = generated(1000 + run, 40, 8);
				const slots = expressions.map((e) => (rnd.next() < 0.1 ? rnd.pick(OTHERS) : e));
				const parameters = shapes(slots)[run % 2];
				let reader: ParameterReader | undefined;
				const readings = await runProbeNode({
					parameters,
					properties,
					items,
					probe: (ctx, itemIndex) => {
						// Create's reader, made once per execution as the node makes it.
						reader ??= new ParameterReader(ctx.getNode().parameters, ctx.getInputData());
						return READ.filter((name) => ctx.getNode().parameters[name] !== undefined).map(
							(name) => {
								const outcome = (read: () => unknown) => {
									try {
										return describeValue(read());
									} catch (error) {
										return `throws ${(error as Error).constructor.name}: ${(error as Error).message}`;
									}
								};
								const n8n = outcome(() => ctx.getNodeParameter(name, itemIndex));
								let handedOver = false;
								const fast = outcome(() =>
									reader!.get(ctx, name, itemIndex, undefined, undefined, (c, n, i, f) => {
										handedOver = true;
										return c.getNodeParameter(n, i, f);
									}),
								);
								return {
									name,
									item: itemIndex,
									parameter: parameters[name],
									n8n,
									fast,
									handedOver,
								};
							},
						);
					},
				});
				for (const reading of readings.flat()) {
					if (reading.fast !== reading.n8n) differing.push(reading);
					else if (reading.handedOver) handed++;
					else own++;
				}
			}
			expect(differing.slice(0, 5)).toEqual([]);
			// Most whole parameters are read without n8n's evaluator.
			expect(own).toBeGreaterThan(handed);
		}, 60_000);
	},
);
