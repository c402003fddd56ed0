import { PollContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { BREVO_API_CREDENTIAL } from '../../credentials/BrevoApi.credentials';
import { BREVO_OAUTH2_CREDENTIAL } from '../../credentials/BrevoOAuth2Api.credentials';
import { BrevoEventTrigger } from '../../nodes/BrevoEventTrigger/BrevoEventTrigger.node';
import { TestCredentialsHelper } from './n8n-engine';

export const TRIGGER_TYPE = 'n8n-nodes-brevo-event.brevoEventTrigger';

const trigger = new BrevoEventTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: (): INodeType => trigger,
	getKnownTypes: () => ({}),
};

/**
 * One Brevo Event Trigger node in a workflow of n8n's own (n8n-workflow's Workflow, n8n-core's
 * PollContext with its real HTTP and credential helpers), polled the way n8n's poll executor
 * calls `poll()`: the workflow's static data lives on between polls, as in an active workflow.
 */
export class TriggerHarness {
	readonly workflow: Workflow;

	readonly node: INode;

	private readonly additionalData: IWorkflowExecuteAdditionalData;

	constructor({
		parameters,
		credentials,
		credentialsHelper = new TestCredentialsHelper(credentials),
	}: {
		parameters: INode['parameters'];
		credentials: ICredentialDataDecryptedObject;
		credentialsHelper?: TestCredentialsHelper;
	}) {
		const credentialType =
			parameters.authentication === 'oAuth2' ? BREVO_OAUTH2_CREDENTIAL : BREVO_API_CREDENTIAL;
		this.node = {
			id: '4f7a8e0c-0000-4000-8000-0000000000a1',
			name: 'Brevo Event Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { [credentialType]: { id: '1', name: 'Brevo sandbox' } },
		};
		this.workflow = new Workflow({
			id: 'poll-test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			settings: { timezone: 'Europe/Paris' },
		});
		this.additionalData = {
			credentialsHelper,
			executionId: 'poll-test',
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			variables: {},
			logAiEvent: () => {},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** The node's static data, as n8n would save it with the workflow. */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** One poll: 'trigger' as an active workflow's schedule runs it, 'manual' as Fetch Test Event. */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<INodeExecutionData[][] | null> {
		const context = new PollContext(
			this.workflow,
			this.node,
			this.additionalData,
			mode,
			mode === 'manual' ? 'manual' : 'activate',
			() => {
				throw new Error('poll() returns its items; nothing emits directly');
			},
			(error) => {
				throw error;
			},
		);
		return await trigger.poll.call(context);
	}
}
