import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Expression,
	LoggerProxy,
	Workflow,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
// The AST hooks n8n hands its VM evaluator (exported as n8n-workflow/expression-sandboxing).
import { expressionSandboxHooks } from 'n8n-workflow/dist/cjs/expression-sandboxing';

/**
 * A probe node inside n8n-core's real engine: its `execute` calls `probe` once per input item in
 * n8n's own execution context, so a test can compare what `getNodeParameter` returns for a
 * parameter with what another reader returns for it, item by item.
 */
export async function runProbeNode<T>({
	parameters,
	properties = Object.keys(parameters).map((name) => ({
		displayName: name,
		name,
		type: 'string',
		default: '',
	})),
	items,
	probe,
}: {
	parameters: INode['parameters'];
	/** The probe node's parameters: by default each one a string parameter (as mapped fields are). */
	properties?: INodeProperties[];
	items: INodeExecutionData[];
	probe: (ctx: IExecuteFunctions, itemIndex: number) => T;
}): Promise<T[]> {
	const results: T[] = [];
	const nodeType: INodeType = {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Reads its parameters for each item',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties,
		},
		async execute(this: IExecuteFunctions) {
			const input = this.getInputData();
			for (let i = 0; i < input.length; i++) results.push(probe(this, i));
			return [input];
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: '4f7a8e0c-0000-4000-8000-0000000000aa',
		name: 'Probe',
		type: 'probe',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflowData: IWorkflowBase = {
		id: 'probe-test',
		name: 'probe test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	};
	const workflow = new Workflow({
		id: workflowData.id,
		nodes: workflowData.nodes,
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'probe', workflowData);
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));
	const base = 'http://127.0.0.1:5678';
	const additionalData = {
		hooks,
		executionId: 'probe',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		variables: {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] },
	});
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(
		workflow,
	);
	const run = await finished;
	if (run.data.resultData.error) throw run.data.resultData.error;
	return results;
}

interface VmEvaluator {
	initialize(): Promise<void>;
	dispose(): Promise<void>;
}

/**
 * Starts n8n's VM expression evaluator (isolated-vm), the engine `n8n start` uses by default
 * (N8N_EXPRESSION_ENGINE=vm); without it, n8n-core evaluates with its legacy in-process engine.
 * Done as Expression.initExpressionEngine does it, whose dynamic import jest cannot run.
 */
export async function startVmExpressionEngine(): Promise<void> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const runtime = require('@n8n/expression-runtime');
	const evaluator: VmEvaluator = new runtime.ExpressionEvaluator({
		createBridge: () =>
			new runtime.IsolatedVmBridge({ timeout: 5000, memoryLimit: 128, logger: LoggerProxy }),
		maxCodeCacheSize: 1024,
		poolSize: 1,
		hooks: expressionSandboxHooks,
		logger: LoggerProxy,
	});
	await evaluator.initialize();
	(Expression as unknown as { vmEvaluator?: VmEvaluator }).vmEvaluator = evaluator;
	Expression.setExpressionEngine('vm');
}

export async function stopVmExpressionEngine(): Promise<void> {
	await Expression.disposeExpressionEngine();
	Expression.setExpressionEngine('legacy');
}
