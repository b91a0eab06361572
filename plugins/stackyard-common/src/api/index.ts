// Types of the stackyard-backend REST API, shared with the frontend.
export {};
