export declare const APP_ROUTE_SEGMENTS: string[];
export declare const EMBEDDABLE_PATH: string;
export declare function frameHeaderRules(): { source: string; headers: { key: string; value: string }[] }[];
