export const API_REDIS = Symbol('API_REDIS');
