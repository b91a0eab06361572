'use strict';

exports.handler = async event => ({ processed: event?.Records?.length ?? 0 });
