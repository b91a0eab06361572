// Synthetic stackyard API answers: 50 environments with 250 alarms.
const states = ['ALARM', 'INSUFFICIENT_DATA', 'OK', 'OK', 'OK'];
const now = Date.now();
const iso = ms => new Date(ms).toISOString();

export function environments(entityRef, count = 50, alarmsPer = 5) {
  return Array.from({ length: count }, (_, i) => {
    const prefix = i < 3 ? 'wo' : `wo-${100 + i}`;
    const stage = i < 3 ? ['dev', 'staging', 'prod'][i] : 'dev';
    const aws = i % 2 === 0;
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      entityRef,
      target: aws ? 'sandbox' : 'local',
      targetType: aws ? 'aws' : 'local',
      accountId: aws ? '123456789012' : undefined,
      region: aws ? 'eu-west-1' : undefined,
      prefix,
      stage,
      stackName: `${prefix}-${stage}`,
      stackId: aws
        ? `arn:aws:cloudformation:eu-west-1:123456789012:stack/${prefix}-${stage}/${i}`
        : undefined,
      status: i % 7 === 3 ? 'failed' : 'ready',
      stackStatus: i % 7 === 3 ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_COMPLETE',
      outputs: {
        ApiUrl: `https://${prefix}-${stage}.example.com`,
        SocketUrl: `wss://${prefix}-${stage}.example.com/live`,
        QueueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/${prefix}-${stage}-orders`,
      },
      resources: {
        'AWS::Lambda::Function': 4,
        'AWS::SQS::Queue': 4,
        'AWS::DynamoDB::Table': 1,
        'AWS::IAM::Role': 4,
      },
      alarms: Array.from({ length: alarmsPer }, (_alarm, a) => ({
        name: `${prefix}-${stage}-alarm-${a}`,
        type: a === 4 ? 'composite' : 'metric',
        state: states[(a + i) % states.length],
        reason:
          'Threshold Crossed: 1 out of the last 1 datapoints was greater than the threshold',
        updatedAt: iso(now - a * 60_000),
      })),
      templateName: 'hello-service',
      templateVersion: '1.0.0',
      protected: stage === 'prod',
      protectionReason:
        stage === 'prod' ? 'stage "prod" is protected' : undefined,
      createdBy: 'user:default/guest',
      createdAt: iso(now - 86_400_000),
      updatedAt: iso(now - 3_600_000),
      expiresAt: prefix === 'wo' ? undefined : iso(now + 2 * 86_400_000),
    };
  });
}

export function details(environment) {
  return {
    environment,
    operations: [0, 1, 2].map(n => ({
      id: `${environment.id}-op-${n}`,
      environmentId: environment.id,
      type: 'deploy',
      state: 'succeeded',
      actor: 'service:ci',
      createdAt: iso(now - (n + 1) * 3_600_000),
      updatedAt: iso(now - (n + 1) * 3_600_000 + 60_000),
      finishedAt: iso(now - (n + 1) * 3_600_000 + 60_000),
    })),
    recentEvents: Array.from({ length: 20 }, (_event, n) => ({
      eventId: `${environment.id}-ev-${n}`,
      timestamp: iso(now - n * 10_000),
      logicalResourceId: `Resource${n}`,
      resourceType: 'AWS::Lambda::Function',
      resourceStatus: 'UPDATE_COMPLETE',
    })),
  };
}
