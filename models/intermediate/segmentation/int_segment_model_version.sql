{#- The active segmentation model's version: a hash of the fit steps' fingerprints
    (each a hash of the training data and the step's configuration, chained), so the
    same data and configuration always give the same version. -#}

with preprocessing as (

    select max(fit_fingerprint) as fit_fingerprint from {{ ref('ml_segment_preprocessing') }}

),

model_selection as (

    select max(fit_fingerprint) as fit_fingerprint from {{ ref('ml_segment_model_selection') }}

),

centroids as (

    select max(fit_fingerprint) as fit_fingerprint from {{ ref('ml_segment_centroids') }}

),

loadings as (

    select max(fit_fingerprint) as fit_fingerprint from {{ ref('ml_segment_pca') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'centroids.fit_fingerprint', "'-'", 'loadings.fit_fingerprint',
        ])) }} as model_version,
        preprocessing.fit_fingerprint as preprocessing_fingerprint,
        model_selection.fit_fingerprint as model_selection_fingerprint,
        centroids.fit_fingerprint as centroids_fingerprint,
        loadings.fit_fingerprint as pca_fingerprint
    from preprocessing
    cross join model_selection
    cross join centroids
    cross join loadings

)

select * from final
