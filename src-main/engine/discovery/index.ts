export { kmeans, silhouette, silhouetteSamples, sqDist } from './kmeans';
export type { KMeansResult } from './kmeans';
export { discoverClusters, unitRows } from './discover';
export type { DiscoveredCluster, Discovery, DiscoverOptions } from './discover';
export { cosineDistances, groupClips } from './groups';
export type { ClipGroup, Grouping, GroupingOptions } from './groups';
