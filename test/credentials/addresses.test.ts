import { Workflow, type INode, type INodeType } from 'n8n-workflow';

import { BrevoApi, LOOPBACK_HOST } from '../../credentials/BrevoApi.credentials';
import { BrevoOAuth2Api, tokenUrlProblem } from '../../credentials/BrevoOAuth2Api.credentials';

const urls = [
	'https://api.brevo.com/realms/partner/oauth/token',
	'https://oauth.brevo.com/realms/partner/oauth/token',
	'https://oauth.brevo.com:443/realms/partner/oauth/token',
	'https://oauth.brevo.com.evil.example/token',
	'https://evil.example/oauth.brevo.com/token',
	'https://proxy.example.com/token',
	'http://oauth.brevo.com/realms/partner/oauth/token',
	'http://proxy.example.com/token',
	'http://localhost:8080/token',
	'http://127.0.0.1:8080/token',
	'http://[::1]:8080/token',
	'https://127.0.0.1:8443/token',
	'http://localhost@evil.example/token',
	'http://127.0.0.1.evil.example/token',
	'http://[::ffff:127.0.0.1]:8080/token',
	'ftp://oauth.brevo.com/token',
];

describe('where the client secret may go (tokenUrlProblem)', () => {
	test.each([
		['header', 'https://proxy.example.com/token', undefined],
		['body', 'https://proxy.example.com/token', /Authentication Body/],
		['body', 'https://oauth.brevo.com/realms/partner/oauth/token', undefined],
		['body', 'https://api.brevo.com/realms/partner/oauth/token', undefined],
		['body', 'https://oauth.brevo.com.evil.example/token', /Authentication Body/],
		['body', 'http://127.0.0.1:8080/token', undefined],
		['header', 'http://proxy.example.com/token', /must start with https/],
		['header', 'http://localhost@evil.example/token', /must start with https/],
		['header', 'ftp://oauth.brevo.com/token', /must start with https/],
		['header', 'not a url', /is not a URL/],
	])('%s %s', (authentication, url, problem) => {
		const found = tokenUrlProblem(url, authentication);
		if (problem === undefined) expect(found).toBeUndefined();
		else expect(found).toMatch(problem);
	});

	test('loopback hosts are exactly this machine', () => {
		for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
			expect(LOOPBACK_HOST.test(host)).toBe(true);
		for (const host of [
			'localhost.evil.example',
			'127.0.0.1.evil.example',
			'[::ffff:7f00:1]',
			'0.0.0.0',
		])
			expect(LOOPBACK_HOST.test(host)).toBe(false);
	});
});

/** The credential tests' expressions (n8n's expression engine) agree with the node's own checks. */
describe('the credential tests apply the same rules as execution', () => {
	const node: INode = {
		id: '1',
		name: 'test',
		type: 'test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeType = { description: { properties: [] } } as unknown as INodeType;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
	});
	const resolve = (expression: string, credentials: Record<string, string>) => {
		try {
			return workflow.expression.getParameterValue(
				expression,
				null,
				0,
				0,
				node.name,
				[],
				'internal',
				{ $credentials: credentials },
				undefined,
				false,
			);
		} catch (error) {
			return error as Error;
		}
	};
	const baseUrlRefused = (url: string) => {
		const parsed = URL.canParse(url) ? new URL(url) : undefined;
		return !(
			parsed?.protocol === 'https:' ||
			(parsed?.protocol === 'http:' && LOOPBACK_HOST.test(parsed.hostname))
		);
	};

	test.each(urls)('Base URL %s', (url) => {
		const result = resolve(new BrevoApi().test.request.baseURL as string, { baseUrl: url });
		if (baseUrlRefused(url)) expect((result as Error).message).toMatch(/Refused: the Base URL/);
		else expect(result).toBe(url.replace(/\/+$/, ''));
	});

	test.each(
		urls.flatMap((url) => [
			['header', url],
			['body', url],
		]),
	)('%s, token URL %s', (authentication, url) => {
		const base = 'https://api.brevo.com/v3';
		const result = resolve(new BrevoOAuth2Api().test.request.baseURL as string, {
			baseUrl: base,
			accessTokenUrl: url,
			authentication,
		});
		if (tokenUrlProblem(url, authentication))
			expect((result as Error).message).toMatch(/Refused: /);
		else expect(result).toBe(base);
	});
});
