import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { BREVO_API_CREDENTIAL, BrevoApi } from '../../credentials/BrevoApi.credentials';
import { BREVO_OAUTH2_CREDENTIAL } from '../../credentials/BrevoOAuth2Api.credentials';
import { BrevoEvent } from '../../nodes/BrevoEvent/BrevoEvent.node';

export const NODE_TYPE = 'n8n-nodes-brevo-event.brevoEvent';

/** The instance addresses and no-op hooks n8n-core's engine asks of its additional data. */
export const ENGINE_ADDITIONAL_DATA = {
	restApiUrl: 'http://127.0.0.1:5678/rest',
	instanceBaseUrl: 'http://127.0.0.1:5678',
	webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
	webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
	webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
	formBaseUrl: 'http://127.0.0.1:5678/form',
	formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
	formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
	mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
	mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
	variables: {},
	logAiEvent: () => {},
	getRunExecutionData: async () => undefined,
	getRuntimeCredential: async () => undefined,
};

/**
 * Applies the credential's generic `authenticate` block the way n8n's CredentialsHelper does: each
 * `={{$credentials.…}}` header is resolved by the workflow's real expression engine. For the OAuth2
 * credential it declares the `oAuth2Api` parent, so n8n-core's own OAuth2 helper fetches, stores
 * (here: in memory) and renews tokens.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Each token n8n stored with updateCredentialsOauthTokenData, in order. */
	readonly storedTokens: ICredentialDataDecryptedObject[] = [];

	constructor(private data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(name: string): string[] {
		return name === BREVO_OAUTH2_CREDENTIAL ? ['oAuth2Api'] : [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		expect(typeName).toBe(BREVO_API_CREDENTIAL);
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(
			new BrevoApi().authenticate.properties.headers ?? {},
		)) {
			headers[name] = String(
				workflow!.expression.getSimpleParameterValue(node!, value as string, 'internal', {
					$credentials: credentials,
				}),
			);
		}
		return { ...requestOptions, headers: { ...requestOptions.headers, ...headers } };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used: getDecrypted serves the credential');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: unknown,
		_type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.storedTokens.push(data.oauthTokenData as ICredentialDataDecryptedObject);
		this.data = { ...this.data, oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(): INodeProperties[] {
		return new BrevoApi().properties;
	}
}

const brevoEvent = new BrevoEvent();
const nodeTypes: INodeTypes = {
	getByName: () => brevoEvent,
	getByNameAndVersion: (): INodeType => brevoEvent,
	getKnownTypes: () => ({}),
};

let executions = 0;

export interface EngineRun {
	run: IRun;
	/** The Brevo Event node's output items (first output), or undefined if it failed. */
	output?: INodeExecutionData[];
	/** Its error output (On Error → Continue (using error output)). */
	errorOutput?: INodeExecutionData[];
	/** The workflow's error, when the node failed. */
	error?: Error & { description?: string; context?: Record<string, unknown> };
	/** Expressions ("=…" values) n8n evaluated during the run, the credential's header included. */
	expressionsEvaluated: number;
}

/**
 * Runs one Brevo Event node inside n8n-core's real execution engine (WorkflowExecute), with the
 * given input items, parameters and credential: expressions, parameter resolution, continue-on-fail
 * handling and n8n's HTTP helpers are all n8n's own.
 */
export async function runBrevoEventNode({
	parameters,
	items,
	credentials,
	credentialsHelper = new TestCredentialsHelper(credentials),
	continueOnFail = false,
	onError = continueOnFail ? 'continueRegularOutput' : undefined,
	retryOnFail,
	timezone = 'Europe/Paris',
}: {
	parameters: INode['parameters'];
	items: INodeExecutionData[];
	credentials: ICredentialDataDecryptedObject;
	/** Pass one to keep OAuth2 tokens between runs, as n8n keeps them in the credential. */
	credentialsHelper?: TestCredentialsHelper;
	continueOnFail?: boolean;
	/** The node's Settings → On Error. */
	onError?: INode['onError'];
	/** The node's Settings → Retry On Fail. */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	timezone?: string;
}): Promise<EngineRun> {
	const credentialType =
		parameters.authentication === 'oAuth2' ? BREVO_OAUTH2_CREDENTIAL : BREVO_API_CREDENTIAL;
	const node: INode = {
		id: '4f7a8e0c-0000-4000-8000-000000000001',
		name: 'Brevo Event',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [credentialType]: { id: '1', name: 'Brevo sandbox' } },
		...(onError ? { onError } : {}),
		...(retryOnFail ? { retryOnFail: true, ...retryOnFail } : {}),
	};
	const workflowData: IWorkflowBase = {
		id: 'engine-test',
		name: 'engine test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		settings: { timezone },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	};
	const workflow = new Workflow({
		id: workflowData.id,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings: workflowData.settings,
	});

	// Count what n8n's expression engine evaluates: every "=…" value passes through here.
	let expressionsEvaluated = 0;
	const expression = workflow.expression as unknown as {
		resolveSimpleParameterValue: (value: unknown, ...rest: unknown[]) => unknown;
	};
	const resolve = expression.resolveSimpleParameterValue.bind(expression);
	expression.resolveSimpleParameterValue = (value, ...rest) => {
		if (typeof value === 'string' && value.startsWith('=')) expressionsEvaluated++;
		return resolve(value, ...rest);
	};

	// Each run is an execution of its own, as in n8n (the node remembers retries per execution).
	const executionId = `engine-test-${++executions}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));

	const additionalData = {
		hooks,
		credentialsHelper,
		executionId,
		currentNodeExecutionIndex: 0,
		...ENGINE_ADDITIONAL_DATA,
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node, data: { main: [items] }, source: null }],
		},
	});
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(
		workflow,
	);
	const run = await finished;
	const task = run.data.resultData.runData[node.name]?.[0];
	return {
		run,
		output: task?.data?.main?.[0] ?? undefined,
		errorOutput: task?.data?.main?.[1] ?? undefined,
		error: (run.data.resultData.error ?? task?.error) as EngineRun['error'],
		expressionsEvaluated,
	};
}
