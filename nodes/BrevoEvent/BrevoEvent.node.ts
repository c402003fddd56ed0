import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { BREVO_API_CREDENTIAL } from '../../credentials/BrevoApi.credentials';
import { BREVO_OAUTH2_CREDENTIAL } from '../../credentials/BrevoOAuth2Api.credentials';
import * as event from './actions/event/Event.resource';
import { router } from './actions/router';
import { loadOptions, resourceMapping } from './methods';
import { AUTHENTICATION, AUTHENTICATION_PARAMETER } from './transport/authentication';

export class BrevoEvent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo Event',
		name: 'brevoEvent',
		icon: { light: 'file:brevo.svg', dark: 'file:brevo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Send behavioural events (e.g. order_created) to Brevo's Events API so Brevo automations and segments react to them",
		defaults: { name: 'Brevo Event' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: BREVO_API_CREDENTIAL,
				required: true,
				displayOptions: { show: { [AUTHENTICATION_PARAMETER]: [AUTHENTICATION.apiKey] } },
			},
			{
				name: BREVO_OAUTH2_CREDENTIAL,
				required: true,
				displayOptions: { show: { [AUTHENTICATION_PARAMETER]: [AUTHENTICATION.oAuth2] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: AUTHENTICATION_PARAMETER,
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'API Key', value: AUTHENTICATION.apiKey },
					{ name: 'OAuth2 (Machine-to-Machine)', value: AUTHENTICATION.oAuth2 },
				],
				// Nodes saved before OAuth2 existed have no value here: they keep their API key.
				default: 'apiKey',
				description:
					'How to sign in to Brevo: a v3 API key (xkeysib-…), or an OAuth2 machine-to-machine app (client ID and secret), which Brevo recommends over static keys',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Event', value: 'event' }],
				default: 'event',
			},
			...event.description,
		],
	};

	methods = { loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
