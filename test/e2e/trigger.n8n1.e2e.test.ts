import { describeTrigger } from './trigger.suite';

describeTrigger('n8n-1', 'sideBySide');
