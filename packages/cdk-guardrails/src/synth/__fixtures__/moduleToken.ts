import { Lazy } from 'aws-cdk-lib';

/** A token encoded when this module loads, as aws-cdk-lib's `Aws.REGION` is. */
export const MODULE_TOKEN = Lazy.string({ produce: () => 'from-module' });
