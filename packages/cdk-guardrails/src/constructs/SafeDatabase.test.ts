import { Match, Template } from 'aws-cdk-lib/assertions';
import { SafeDatabase } from './SafeDatabase';
import { ServiceNetwork } from './ServiceNetwork';
import { testStack } from './testing';

function databaseIn(stage: string) {
  const stack = testStack({ stage });
  const network = new ServiceNetwork(stack, 'Network');
  new SafeDatabase(stack, 'Main', { network, databaseName: 'orchestrator' });
  return Template.fromStack(stack);
}

describe('SafeDatabase', () => {
  it('is a free-tier PostgreSQL 15 in dev: db.t3.micro, 20 GiB, single-AZ, encrypted', () => {
    databaseIn('dev').hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      Properties: {
        Engine: 'postgres',
        EngineVersion: '15',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: '20',
        MultiAZ: false,
        StorageEncrypted: true,
        PubliclyAccessible: false,
        DeletionProtection: false,
        BackupRetentionPeriod: 1,
        DBName: 'orchestrator',
      },
    });
  });

  it('is db.t3.small, 50 GiB, Multi-AZ in prod, with 7 days of backups, deletion protection and a final snapshot', () => {
    const template = databaseIn('prod');
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        DBInstanceClass: 'db.t3.small',
        AllocatedStorage: '50',
        MultiAZ: true,
        StorageEncrypted: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
      },
    });
    // Credentials live in Secrets Manager, generated, never in the template.
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"username":"postgres"}', GenerateStringKey: 'password' },
    });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^NetworkVpcdataSubnet1') }, { Ref: Match.stringLikeRegexp('^NetworkVpcdataSubnet2') }],
    });
  });

  it('is destroyed with an ephemeral preview stack', () => {
    databaseIn('preview').hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete' });
  });

  it.each([
    ['prod', { multiAz: false }, 'multiAz false is not allowed: stage "prod" is production, so the database needs a standby (true)'],
    ['prod', { backupRetentionDays: 3 }, 'backupRetentionDays 3 is not allowed: stage "prod" is production: an integer from 7 to 35'],
    ['dev', { allocatedStorageGiB: 10 }, 'allocatedStorageGiB 10 is not allowed: an integer from 20 to 65536'],
    ['dev', { instanceType: 'db.t3.micro' }, 'instanceType "db.t3.micro" is not allowed: an instance class without "db."'],
    ['dev', { databaseName: '1st' }, 'databaseName "1st" is not allowed'],
  ])('refuses in %s %j, quoting the value with the construct path', (stage, props, message) => {
    const stack = testStack({ stage });
    const network = new ServiceNetwork(stack, 'Network');
    expect(() => new SafeDatabase(stack, 'Db', { network, databaseName: 'app', ...props })).toThrow(
      `[Svc/Db] invalid SafeDatabase props: ${message}`,
    );
  });
});
