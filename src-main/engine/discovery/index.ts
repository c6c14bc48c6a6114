export { kmeans, silhouette, sqDist } from './kmeans';
export type { KMeansResult } from './kmeans';
export { discoverClusters } from './discover';
export type { DiscoveredCluster, Discovery, DiscoverOptions } from './discover';
