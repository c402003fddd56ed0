import { existsSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { BREVO_DEFAULT_BASE_URL, BrevoApi } from '../../credentials/BrevoApi.credentials';
import { BrevoOAuth2Api } from '../../credentials/BrevoOAuth2Api.credentials';
import { BrevoEvent } from '../../nodes/BrevoEvent/BrevoEvent.node';

const property = (properties: INodeProperties[], name: string) =>
	properties.find((p) => p.name === name);

/** The two credentials as n8n reads them, and how the node offers them. */
describe('credentials', () => {
	const apiKey = new BrevoApi();
	const oauth2 = new BrevoOAuth2Api();

	test('OAuth2 is client credentials (machine-to-machine) on top of n8n’s OAuth2', () => {
		expect(oauth2.name).toBe('brevoOAuth2Api');
		expect(oauth2.extends).toEqual(['oAuth2Api']);
		expect(property(oauth2.properties, 'grantType')).toMatchObject({
			type: 'hidden',
			default: 'clientCredentials',
		});
	});

	test('OAuth2: token URL, scopes, client authentication and base URL are editable with Brevo’s defaults', () => {
		expect(property(oauth2.properties, 'accessTokenUrl')).toMatchObject({
			type: 'string',
			default: 'https://api.brevo.com/realms/partner/oauth/token',
			required: true,
		});
		expect(property(oauth2.properties, 'scope')).toMatchObject({
			type: 'string',
			default: 'events:write events:read contacts:read',
		});
		expect(property(oauth2.properties, 'authentication')).toMatchObject({
			type: 'options',
			default: 'header',
		});
		expect(
			(property(oauth2.properties, 'authentication')?.options as Array<{ value: string }>).map(
				(o) => o.value,
			),
		).toEqual(['header', 'body']);
		expect(property(oauth2.properties, 'baseUrl')).toMatchObject({
			type: 'string',
			default: BREVO_DEFAULT_BASE_URL,
		});
	});

	test.each([
		['Brevo API', apiKey],
		['Brevo OAuth2 API', oauth2],
	])('%s: icons exist; the test reads GET /events?limit=1 and explains 401 and 403', (_, cred) => {
		const icon = cred.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(existsSync(path.resolve(__dirname, '../../credentials', file.slice(5)))).toBe(true);
		}
		expect(cred.test?.request).toMatchObject({ url: '/events', qs: { limit: 1 }, method: 'GET' });
		const rules = cred.test?.rules as Array<{ properties: { value: number; message: string } }>;
		expect(rules.map((r) => r.properties.value)).toEqual([401, 403]);
		expect(rules[0].properties.message).toMatch(/401/);
		expect(rules[1].properties.message).toMatch(/events/);
	});

	test('the API key test no longer needs account access: an events-only key passes it', () => {
		expect(JSON.stringify(apiKey.test)).not.toContain('/account');
		expect(apiKey.test.rules?.[1].properties.message).toContain('Events (read and write)');
	});
});

describe('the node’s Authentication choice', () => {
	const { description } = new BrevoEvent();

	test('API Key (the default, so older nodes keep their key) or OAuth2', () => {
		const authentication = property(description.properties, 'authentication');
		expect(authentication).toMatchObject({ type: 'options', default: 'apiKey' });
		expect((authentication?.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'apiKey',
			'oAuth2',
		]);
		expect(description.properties[0].name).toBe('authentication');
	});

	test('each credential is shown for its choice only', () => {
		expect(description.credentials).toEqual([
			{
				name: 'brevoApi',
				required: true,
				displayOptions: { show: { authentication: ['apiKey'] } },
			},
			{
				name: 'brevoOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		]);
	});
});
