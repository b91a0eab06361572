import { describeRule, res } from '../ruleHarness';
import { rdsMultiAz } from './rdsMultiAz';

describeRule(rdsMultiAz, {
  compliant: [
    { name: 'Multi-AZ instance', resource: res('D', 'AWS::RDS::DBInstance', { MultiAZ: true }) },
  ],
  nonCompliant: [
    {
      name: 'single-AZ instance',
      resource: res('D', 'AWS::RDS::DBInstance', { MultiAZ: false }),
      message: /^MultiAZ is false in production stage "prod": set MultiAZ to true$/,
    },
    { name: 'not set', resource: res('D', 'AWS::RDS::DBInstance'), message: /MultiAZ is false/ },
  ],
  notApplicable: [
    { name: 'dev stage', resource: res('D', 'AWS::RDS::DBInstance'), stage: 'dev' },
    { name: 'cluster', resource: res('C', 'AWS::RDS::DBCluster') },
    { name: 'a function', resource: res('F', 'AWS::Lambda::Function') },
  ],
});
