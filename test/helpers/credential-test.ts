import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type INode,
	type INodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { ENGINE_ADDITIONAL_DATA, TestCredentialsHelper } from './n8n-engine';

/**
 * "Test credential" the way n8n 2.41 runs it (CredentialsTester.runRequestTest): the credential's
 * `test` request becomes the routing request of a throwaway node, run by n8n-core's RoutingNode
 * with the credential's data, through n8n's own authentication helpers (for OAuth2: n8n-core's
 * OAuth2 client fetches a token first). Returns what the credential dialog would show.
 */
export async function testCredential(
	credential: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credential.name]: { id: 'credential-test', name: 'Brevo' } },
	};
	const nodeType = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credential.test!.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
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
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(data),
		executionId: 'credential-test',
		currentNodeExecutionIndex: 0,
		...ENGINE_ADDITIONAL_DATA,
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const credentialsDecrypted = {
		id: 'credential-test',
		name: 'Brevo',
		type: credential.name,
		data,
	};
	try {
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (caught) {
		// n8n's tester: a response's status against the rules, else the error's code or message.
		const error = caught as Error & { cause?: { response?: { status: number }; code?: string } };
		const status = error.cause?.response?.status;
		if (status !== undefined) {
			const rule = credential.test!.rules?.find(
				(r) => r.type === 'responseCode' && r.properties.value === status,
			) as { properties: { message: string } } | undefined;
			return { status: 'Error', message: rule?.properties.message ?? `HTTP ${status}` };
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: error.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
