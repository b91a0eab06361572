import { budgetInProduction } from '../rules/budgetInProduction';
import { dynamoDeletionProtection } from '../rules/dynamoDeletionProtection';
import { dynamoPointInTimeRecovery } from '../rules/dynamoPointInTimeRecovery';
import { dynamoRetainInProduction } from '../rules/dynamoRetainInProduction';
import { ecsCircuitBreaker } from '../rules/ecsCircuitBreaker';
import { ecsTaskSize } from '../rules/ecsTaskSize';
import { elasticacheEncryption } from '../rules/elasticacheEncryption';
import { httpApiThrottling } from '../rules/httpApiThrottling';
import { lambdaDeadLetter } from '../rules/lambdaDeadLetter';
import { lambdaMemory } from '../rules/lambdaMemory';
import { lambdaReservedConcurrency } from '../rules/lambdaReservedConcurrency';
import { lambdaRuntime } from '../rules/lambdaRuntime';
import { lambdaTimeout } from '../rules/lambdaTimeout';
import { rdsBackupRetention } from '../rules/rdsBackupRetention';
import { rdsDeletionProtection } from '../rules/rdsDeletionProtection';
import { rdsMultiAz } from '../rules/rdsMultiAz';
import { rdsStorageEncryption } from '../rules/rdsStorageEncryption';
import { requiredTags } from '../rules/requiredTags';
import { sqsDeadLetterQueue } from '../rules/sqsDeadLetterQueue';
import { sqsMaxReceiveCount } from '../rules/sqsMaxReceiveCount';
import { sqsVisibilityTimeout } from '../rules/sqsVisibilityTimeout';
import type { RulePack } from '../types';

/**
 * Stackyard's mandatory safety rules: Lambda, SQS, DynamoDB, RDS, ECS,
 * ElastiCache, HTTP APIs, tags and production budgets.
 */
export const stackyardCorePack: RulePack = {
  name: 'stackyard-core',
  rules: [
    lambdaReservedConcurrency,
    lambdaTimeout,
    lambdaMemory,
    lambdaDeadLetter,
    lambdaRuntime,
    sqsDeadLetterQueue,
    sqsMaxReceiveCount,
    sqsVisibilityTimeout,
    dynamoPointInTimeRecovery,
    dynamoDeletionProtection,
    dynamoRetainInProduction,
    rdsDeletionProtection,
    rdsBackupRetention,
    rdsStorageEncryption,
    rdsMultiAz,
    ecsTaskSize,
    ecsCircuitBreaker,
    elasticacheEncryption,
    httpApiThrottling,
    requiredTags,
    budgetInProduction,
  ],
};
