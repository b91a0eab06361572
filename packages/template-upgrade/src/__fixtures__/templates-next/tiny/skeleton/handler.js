exports.handler = async () => 'ok';
exports.healthy = () => true;
