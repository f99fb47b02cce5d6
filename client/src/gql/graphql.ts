/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type SignInPageQueryVariables = Exact<{ [key: string]: never; }>;


export type SignInPageQuery = { serverInfo: (
    { version: string }
    & { ' $fragmentRefs'?: { 'DeploymentModeNotice_ServerInfoFragment': DeploymentModeNotice_ServerInfoFragment } }
  ) };

export type DeploymentModeNotice_ServerInfoFragment = { demo: boolean, steveMode: string, lagoMode: string } & { ' $fragmentName'?: 'DeploymentModeNotice_ServerInfoFragment' };

export const DeploymentModeNotice_ServerInfoFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentModeNotice_ServerInfo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ServerInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"demo"}},{"kind":"Field","name":{"kind":"Name","value":"steveMode"}},{"kind":"Field","name":{"kind":"Name","value":"lagoMode"}}]}}]} as unknown as DocumentNode<DeploymentModeNotice_ServerInfoFragment, unknown>;
export const SignInPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SignInPage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serverInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentModeNotice_ServerInfo"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentModeNotice_ServerInfo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ServerInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"demo"}},{"kind":"Field","name":{"kind":"Name","value":"steveMode"}},{"kind":"Field","name":{"kind":"Name","value":"lagoMode"}}]}}]} as unknown as DocumentNode<SignInPageQuery, SignInPageQueryVariables>;